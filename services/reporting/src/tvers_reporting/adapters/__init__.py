"""The reporting service's adapters to the outside: the PDF renderer."""
