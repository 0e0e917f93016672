#!/usr/bin/env python3
"""Prints a fresh HS256 demo token for Portico's demo, or the SHA-256 line of an API key.

Standard library only. The token is signed with the demo secret: $PORTICO_JWT_SECRET, or the demo
default that Mappings/gateway.yaml falls back to. Never use the demo secret outside the demo.

    python3 scripts/demo-token.py                                  # sub demo-user, orders:read orders:write, 1 h
    python3 scripts/demo-token.py --sub alice --scope orders:read --ttl 600 --roles support
    python3 scripts/demo-token.py --hash-api-key my-new-key        # an api-keys.yaml sha256 value
"""
import argparse
import base64
import hashlib
import hmac
import json
import os
import sys
import time

DEMO_SECRET = "portico-demo-secret-change-me-0123456789abcdef"
ISSUER = "https://auth.demo.portico.dev"
AUDIENCE = "portico-demo"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def token(secret: bytes, claims: dict) -> str:
    header = {"alg": "HS256", "typ": "JWT"}
    message = b64url(json.dumps(header, separators=(",", ":")).encode()) + "." + \
        b64url(json.dumps(claims, separators=(",", ":")).encode())
    signature = hmac.new(secret, message.encode("ascii"), hashlib.sha256).digest()
    return message + "." + b64url(signature)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sub", default="demo-user")
    parser.add_argument("--scope", default="orders:read orders:write", help="space-separated scopes")
    parser.add_argument("--roles", default="", help="comma-separated roles")
    parser.add_argument("--client-id", default="portico-demo-cli")
    parser.add_argument("--ttl", type=int, default=3600, help="seconds until exp")
    parser.add_argument("--hash-api-key", metavar="KEY", help="print the SHA-256 of KEY and exit")
    args = parser.parse_args()
    if args.hash_api_key is not None:
        print(hashlib.sha256(args.hash_api_key.encode()).hexdigest())
        return 0
    secret = os.environ.get("PORTICO_JWT_SECRET") or DEMO_SECRET
    now = int(time.time())
    claims = {"iss": ISSUER, "aud": AUDIENCE, "sub": args.sub, "scope": args.scope,
              "client_id": args.client_id, "iat": now, "exp": now + args.ttl}
    if args.roles:
        claims["roles"] = [role for role in args.roles.split(",") if role]
    print(token(secret.encode(), claims))
    return 0


if __name__ == "__main__":
    sys.exit(main())
