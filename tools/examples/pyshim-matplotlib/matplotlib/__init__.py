"""A no-op matplotlib for machines without it: the examples' figures are not part of the comparison."""


def use(*args, **kwargs):
    pass
