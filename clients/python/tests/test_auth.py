"""Basic and bearer auth against the real registry with access control on (AUTH_FILE written here,
hashes made with the standard library: scrypt for the password, SHA-256 for the token)."""

import base64
import hashlib
import json
import os
import unittest
from typing import Dict

from proximadb_registry import (
    AuthenticationError,
    BasicAuth,
    BearerAuth,
    Participant,
    PermissionDeniedError,
    RegistryClient,
)

from .registry_process import RegistryProcess

TOKEN = "py-test-token-" + "7" * 32
def scrypt_hash(password: str, n: int = 1024, r: int = 8, p: int = 1) -> str:
    salt = os.urandom(16)
    key = hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, dklen=32)

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    return f"scrypt${n}${r}${p}${b64(salt)}${b64(key)}"


def write_credentials(directory: str) -> Dict[str, str]:
    credentials = {
        "users": [
            {"name": "writer", "role": "write", "password": scrypt_hash("s3cret:pass")},
            {"name": "wal", "role": "write", "tokens": ["sha256$" + hashlib.sha256(TOKEN.encode()).hexdigest()]},
            {"name": "viewer", "role": "read", "password": scrypt_hash("look")},
        ]
    }
    path = os.path.join(directory, "credentials.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(credentials, f)
    return {"AUTH_FILE": path}


registry = RegistryProcess(prepare=write_credentials)
setUpModule = registry.start
tearDownModule = registry.stop


SCHEMA = '{"type":"record","name":"A","fields":[{"name":"a","type":"int"}]}'


class AuthTest(unittest.TestCase):
    def test_basic_auth_tuple_dict_and_url_credentials(self) -> None:
        for client in (
            RegistryClient(registry.url, auth=BasicAuth("writer", "s3cret:pass")),
            RegistryClient(registry.url, auth=("writer", "s3cret:pass")),
            RegistryClient(registry.url, auth={"username": "writer", "password": "s3cret:pass"}),
            RegistryClient(registry.url.replace("http://", "http://writer:s3cret%3Apass@")),
        ):
            with self.subTest(client=client.http.headers["Authorization"][:12]):
                self.assertIsInstance(client.register("py-auth", SCHEMA), int)

    def test_bearer_token_and_one_identity_for_a_participant(self) -> None:
        client = RegistryClient(registry.url, auth=BearerAuth(TOKEN))
        client.register("py-auth-wal", SCHEMA)
        with Participant(client, "py-auth-wal", "wal", "writer", {"range": "^1.0.0"}) as wal:
            self.assertEqual(wal.version, 1)
            wal.update({"range": ">=1.0.0"})
        self.assertEqual(client.get_agreement("py-auth-wal").participants, [])

    def test_refusals_are_typed(self) -> None:
        with self.assertRaises(AuthenticationError) as unauthenticated:
            RegistryClient(registry.url).list_subjects()
        self.assertEqual((unauthenticated.exception.status, unauthenticated.exception.code), (401, "UNAUTHORIZED"))
        with self.assertRaises(AuthenticationError):
            RegistryClient(registry.url, auth=("writer", "wrong")).list_subjects()
        with self.assertRaises(PermissionDeniedError) as forbidden:
            RegistryClient(registry.url, auth=("viewer", "look")).register("py-auth", SCHEMA)
        self.assertEqual((forbidden.exception.status, forbidden.exception.code), (403, "FORBIDDEN"))


if __name__ == "__main__":
    unittest.main()
