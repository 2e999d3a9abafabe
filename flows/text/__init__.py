"""Pure text logic: every function here takes strings/dataclasses and returns values; no I/O."""
