"""The desk's domain core: help records, the undo window and the category list. Pure, no I/O."""
