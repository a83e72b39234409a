"""What tests and the demo of the access service share: a SIP2 library system to ask."""
