"""What tests and the demo of the access service share: in-memory stand-ins for its adapters, and
a SIP2 library system to ask."""
