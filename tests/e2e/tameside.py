"""The board that ``seed_board`` (conftest.py) commits for browser tests, and how its secretary
signs in."""

BOARD_REF = "tscp"
BOARD_NAME = "Tameside Safeguarding Children Partnership"
SECRETARY = "sec@tameside.example"
PASSWORD = "correct horse battery staple"
