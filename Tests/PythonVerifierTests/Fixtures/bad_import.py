"""Fails on import: PythonVerifierTests expect the NameError on line 3."""

value = undefined_name
