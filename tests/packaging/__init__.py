"""Tests of the release files in packaging/ and the built bundle."""
