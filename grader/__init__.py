"""The course's autograder: builds student notebooks from solutions/ and grades submissions."""
from . import startup

# Before anything imports nbgrader, nbformat or jsonschema: what this process need not run of them
# (jsonschema's optional format checkers, nbgrader's server extensions); see startup.py.
startup.install()
