"""The course's autograder: builds student notebooks from solutions/ and grades submissions."""
import sys

# nbformat imports jsonschema, whose optional IRI format checker (rfc3987_syntax) compiles
# dozens of grammars on import: over a second per process, for a format no notebook uses.
# Marking it absent makes jsonschema skip that one checker; validation is otherwise unchanged.
sys.modules.setdefault("rfc3987_syntax", None)
