"""``python -m tvers_desk``: run the service."""

from tvers_desk.bootstrap import main

main()
