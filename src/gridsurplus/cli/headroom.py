"""The `gridsurplus headroom` command (to be written)."""
