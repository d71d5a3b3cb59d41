"""cptsmap: a QGIS plugin whose only job is to register the cptsmap Processing provider."""


def classFactory(iface):  # noqa: N802 (QGIS's name)
    from .plugin import CptsmapPlugin

    return CptsmapPlugin(iface)
