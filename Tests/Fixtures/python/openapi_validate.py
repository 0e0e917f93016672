"""Validates the OpenAPI document on stdin with openapi-spec-validator (the OpenAPI 3.1 schema and its
semantic checks); prints "valid", or the first problem and exits 1."""

import json
import sys

from openapi_spec_validator import validate

try:
    validate(json.load(sys.stdin))
except Exception as error:  # the validator's own exceptions, and JSON errors
    print(f"invalid: {error}")
    sys.exit(1)
print("valid")
