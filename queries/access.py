"""Who may use the Data desk: salted scrypt password hashes, checked in constant time, with slow-down.

Credentials are never in the repository. Each official has a name and a password hash, given either
- in the environment: KZNGO_DESK_USERS='aigerim:scrypt$...,daniyar:scrypt$...' (quote it: hashes hold $), or
- in .streamlit/secrets.toml (not committed):  [data_desk.users]  aigerim = "scrypt$..."
With neither, the desk is disabled.

    python -m queries.access NAME     asks for a password twice and prints the line to configure
"""

import getpass
import hashlib
import hmac
import os
import secrets
import sys
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

USERS_ENV = "KZNGO_DESK_USERS"
SECRETS_SECTION = "data_desk"
SCHEME = "scrypt"
# scrypt cost: ~16 MiB and ~0.1 s per check, so guessing offline from a leaked hash is slow too.
SCRYPT_N, SCRYPT_R, SCRYPT_P, KEY_BYTES, SALT_BYTES = 2**14, 8, 1, 32, 16
# Failed attempts for one name before each further attempt has to wait; the wait doubles every time.
FREE_ATTEMPTS = 3
MAX_WAIT_SECONDS = 300.0


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """'scrypt$n$r$p$salt$key' with hex fields, so the hash can sit in an environment variable."""
    salt = salt if salt is not None else secrets.token_bytes(SALT_BYTES)
    key = hashlib.scrypt(password.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=KEY_BYTES)
    return f"{SCHEME}${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${key.hex()}"


# Checked against when the name is unknown, so a wrong name takes as long as a wrong password.
_DUMMY_HASH = hash_password(secrets.token_hex(16))


def verify_password(password: str, encoded: str) -> bool:
    try:
        scheme, n, r, p, salt, key = encoded.split("$")
        if scheme != SCHEME:
            return False
        expected = bytes.fromhex(key)
        actual = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p),
                                dklen=len(expected))
    except ValueError:  # a malformed hash never lets anyone in
        return False
    return hmac.compare_digest(actual, expected)


def configured_users(secrets_section: Mapping | None = None) -> dict[str, str]:
    """Name -> password hash, from $KZNGO_DESK_USERS and the secrets' [data_desk.users] table."""
    users = {}
    for item in os.environ.get(USERS_ENV, "").split(","):
        name, _, encoded = item.strip().partition(":")
        if name and encoded:
            users[name] = encoded
    if secrets_section:
        users.update({str(name): str(encoded) for name, encoded in (secrets_section.get("users") or {}).items()})
    return users


class Throttle:
    """Failed attempts per name; after FREE_ATTEMPTS, each attempt must wait 1, 2, 4 ... seconds.

    Kept per process, not per browser session: opening a new tab must not reset the count.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self._clock = clock
        self._failures: dict[str, tuple[int, float]] = {}  # name -> (count, time of the last failure)
        self._lock = threading.Lock()

    def wait_seconds(self, name: str) -> float:
        with self._lock:
            count, last = self._failures.get(name.casefold(), (0, 0.0))
        if count < FREE_ATTEMPTS:
            return 0.0
        delay = min(2.0 ** (count - FREE_ATTEMPTS), MAX_WAIT_SECONDS)
        return max(0.0, last + delay - self._clock())

    def failed(self, name: str) -> None:
        with self._lock:
            count, _ = self._failures.get(name.casefold(), (0, 0.0))
            self._failures[name.casefold()] = (count + 1, self._clock())

    def succeeded(self, name: str) -> None:
        with self._lock:
            self._failures.pop(name.casefold(), None)


THROTTLE = Throttle()


@dataclass(frozen=True)
class LoginResult:
    ok: bool
    wait_seconds: float = 0.0  # > 0: the attempt was not checked; try again after this long


def log_in(users: Mapping[str, str], name: str, password: str, throttle: Throttle | None = None) -> LoginResult:
    throttle = throttle or THROTTLE  # looked up per call, so a test can give the process a fresh one
    wait = throttle.wait_seconds(name)
    if wait > 0:
        return LoginResult(False, wait)
    known = name in users
    ok = verify_password(password, users[name] if known else _DUMMY_HASH) and known
    if ok:
        throttle.succeeded(name)
    else:
        throttle.failed(name)
    return LoginResult(ok)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or ":" in args[0] or "," in args[0]:
        print("usage: python -m queries.access NAME   (a name without ':' or ',')", file=sys.stderr)
        return 2
    password = getpass.getpass("password: ")
    if password != getpass.getpass("again: "):
        print("the two passwords differ", file=sys.stderr)
        return 1
    encoded = hash_password(password)
    print(f"environment:   export {USERS_ENV}='{args[0]}:{encoded}'   (several: separate name:hash pairs by commas)")
    print(f"or .streamlit/secrets.toml:\n[{SECRETS_SECTION}.users]\n{args[0]} = \"{encoded}\"")
    return 0


if __name__ == "__main__":
    sys.exit(main())
