"""What the tests share: the test councils (read from tests/data/), builders, and helpers that
run commands and read what they leave."""
