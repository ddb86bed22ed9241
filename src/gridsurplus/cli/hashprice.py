"""The `gridsurplus hashprice` command (to be written)."""
