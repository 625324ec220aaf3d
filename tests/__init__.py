"""The test suite: one package per part of panelsched, shared helpers in tests/helpers/."""
