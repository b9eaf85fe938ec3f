"""The course's autograder: builds student notebooks from solutions/ and grades submissions."""
