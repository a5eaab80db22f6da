"""Kazakh case endings on numbers written in digits: "18 000-нан астам", "500-ге жуық".

In Kazakh a qualifier is a postposition, and the number before it takes a case ending (ablative
before "астам", dative before "жуық" or "дейін"). The ending follows the last word the number is
read as (18 000 is read "он сегіз мың", so "мың" decides: -нан), by vowel harmony and the last sound.
Templates ask for it with a format spec: "{value:abl} астам".
"""

BACK_VOWELS = set("аоұыя")
FRONT_VOWELS = set("әеөүіиэю")
VOWELS = BACK_VOWELS | FRONT_VOWELS | {"у"}
NASALS = set("мнң")
# Sounds after which the ablative starts with д and the dative with ғ/г (vowels count too).
VOICED = set("лрйузж") | VOWELS

UNIT_WORDS = ["нөл", "бір", "екі", "үш", "төрт", "бес", "алты", "жеті", "сегіз", "тоғыз"]
TEN_WORDS = ["", "он", "жиырма", "отыз", "қырық", "елу", "алпыс", "жетпіс", "сексен", "тоқсан"]
# How a trailing symbol or abbreviation is read aloud.
READINGS = {"%": "пайыз", "€": "еуро", "₸": "теңге", "$": "доллар", "KZT": "теңге", "EUR": "еуро", "USD": "доллар",
            "млн": "миллион", "млрд": "миллиард", "трлн": "триллион", "мың": "мың"}
SCALE_WORDS = ["мың", "миллион", "миллиард", "триллион"]


def last_word(number: int) -> str:
    """The word a whole number, read aloud in Kazakh, ends with."""
    if number == 0:
        return UNIT_WORDS[0]
    rest = number % 1000
    if rest:
        if rest % 10:
            return UNIT_WORDS[rest % 10]
        return TEN_WORDS[(rest % 100) // 10] if rest % 100 else "жүз"
    # A round number ends with the scale word of its lowest non-zero group: 18 000 -> "мың".
    groups = number // 1000
    for word in SCALE_WORDS:
        if groups % 1000:
            return word
        groups //= 1000
    return SCALE_WORDS[-1]


def _spoken_last_word(text: str) -> str:
    """The word a formatted amount ("23 335", "20,05%", "5 млн €") ends with when read."""
    tail = text.strip().split()[-1] if text.strip() else "0"
    for symbol, word in READINGS.items():
        if tail.endswith(symbol):
            return word
    digits = "".join(ch for ch in text.replace(",", ".").split(".")[-1] if ch.isdigit())
    return last_word(int(digits)) if digits else UNIT_WORDS[0]


def _harmony(word: str) -> str:
    for letter in reversed(word):
        if letter in BACK_VOWELS:
            return "back"
        if letter in FRONT_VOWELS:
            return "front"
    return "back"


def case_ending(text: str, case: str) -> str:
    """'-нан', '-ге', ... for the amount as written: ablative ('abl') or dative ('dat')."""
    word = _spoken_last_word(text)
    back = _harmony(word) == "back"
    last = word[-1]
    if case == "abl":
        first = "н" if last in NASALS else "д" if last in VOICED else "т"
        return f"-{first}{'а' if back else 'е'}н"
    if case == "dat":
        first = ("ғ" if back else "г") if (last in VOICED or last in NASALS) else ("қ" if back else "к")
        return f"-{first}{'а' if back else 'е'}"
    raise ValueError(f"unknown Kazakh case {case!r}")


class Phrase(str):
    """Text for a template placeholder; the format spec 'abl' or 'dat' adds a Kazakh case ending."""

    def __format__(self, spec: str) -> str:
        if spec in ("abl", "dat"):
            return f"{self}{case_ending(self, spec)}"
        return format(str(self), spec)
