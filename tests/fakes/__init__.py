"""Fakes of outside services, started by the tests themselves (no test reaches the internet).

Import them as ``from fakes.p2030 import FakeP2030``: pytest puts ``tests/`` on ``sys.path``
(there is no ``tests/__init__.py``), so this works from any working folder.
"""
