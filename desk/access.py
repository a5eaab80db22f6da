"""Who may use the Data desk: salted scrypt password hashes, checked in constant time, with slow-down.

Credentials are never in the repository. Each official has a name and a password hash, given either
- in the environment: KZNGO_DESK_USERS='aigerim:scrypt$...,daniyar:scrypt$...' (quote it: hashes hold $), or
- in .streamlit/secrets.toml (not committed):  [data_desk.users]  aigerim = "scrypt$..."
With neither, the desk is disabled.

    python -m desk.access NAME     asks for a password twice and prints the line to configure
"""

import getpass
import hashlib
import hmac
import os
import secrets
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass

USERS_ENV = "KZNGO_DESK_USERS"
SECRETS_SECTION = "data_desk"
SCHEME = "scrypt"
# scrypt cost: ~16 MiB and ~0.1 s per check, so guessing offline from a leaked hash is slow too.
SCRYPT_N, SCRYPT_R, SCRYPT_P, KEY_BYTES, SALT_BYTES = 2**14, 8, 1, 32, 16
# Failed attempts for one name from one client before each further attempt has to wait; the wait
# doubles every time, up to MAX_WAIT_SECONDS. Failures are forgotten after FORGET_AFTER_SECONDS.
FREE_ATTEMPTS = 3
MAX_WAIT_SECONDS = 300.0
FORGET_AFTER_SECONDS = 3600.0
MAX_TRACKED = 10_000  # (name, client) pairs remembered; the oldest are forgotten first


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
    """Failed attempts per name and client; after FREE_ATTEMPTS, each attempt must wait 1, 2, 4 ... seconds.

    Kept per process, not per browser session: opening a new tab must not reset the count. Kept per
    client too (its IP address), so someone who knows an official's name and keeps failing slows
    down their own attempts only, never the official's from another computer.

    `attempt()` decides and counts in one step under the lock: an attempt is counted as failed before
    the password is checked, and only a success clears it. So parallel attempts cannot all pass the
    check before the first failure is recorded.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self._clock = clock
        # (name, client) -> (failed attempts, time of the last one), least recently failed first
        self._failures: OrderedDict[tuple[str, str], tuple[int, float]] = OrderedDict()
        self._lock = threading.Lock()

    def attempt(self, name: str, client: str) -> float:
        """0 when the attempt may go ahead (and is counted as failed until `succeeded`); else the wait in seconds."""
        key, now = (name.casefold(), client), self._clock()
        with self._lock:
            count, last = self._failures.get(key, (0, now))
            if now - last > FORGET_AFTER_SECONDS:
                count = 0
            if count >= FREE_ATTEMPTS:
                wait = last + min(2.0 ** (count - FREE_ATTEMPTS), MAX_WAIT_SECONDS) - now
                if wait > 0:
                    return wait
            self._failures[key] = (count + 1, now)
            self._failures.move_to_end(key)
            while len(self._failures) > MAX_TRACKED:
                self._failures.popitem(last=False)
            return 0.0

    def succeeded(self, name: str, client: str) -> None:
        with self._lock:
            self._failures.pop((name.casefold(), client), None)


THROTTLE = Throttle()


@dataclass(frozen=True)
class LoginResult:
    ok: bool
    wait_seconds: float = 0.0  # > 0: the attempt was not checked; try again after this long


def log_in(users: Mapping[str, str], name: str, password: str, throttle: Throttle | None = None,
           client: str = "") -> LoginResult:
    """Check a name and password from a client (its IP address; "" when unknown), throttled."""
    throttle = throttle or THROTTLE  # looked up per call, so a test can give the process a fresh one
    wait = throttle.attempt(name, client)
    if wait > 0:
        return LoginResult(False, wait)
    known = name in users
    ok = verify_password(password, users[name] if known else _DUMMY_HASH) and known
    if ok:
        throttle.succeeded(name, client)
    return LoginResult(ok)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or ":" in args[0] or "," in args[0]:
        print("usage: python -m desk.access NAME   (a name without ':' or ',')", file=sys.stderr)
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
