"""The demo regions: generated input files of three cities for trying Kinerja end to end."""

from kinerja.demo.generator import generate

__all__ = ["generate"]
