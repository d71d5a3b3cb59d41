"""The cptsmap Processing provider: six algorithms and one setting, the path of the cptsmap binary
(empty: `cptsmap` on PATH), set like GRASS's or SAGA's in Settings > Options > Processing > Providers."""

import os

from qgis.core import QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from processing.core.ProcessingConfig import ProcessingConfig, Setting

from . import cli
from .algorithms import BuildAlgorithm, CheckAlgorithm, CleanAlgorithm, DiffAlgorithm, ResolveAlgorithm, SimplifyAlgorithm


class CptsmapProvider(QgsProcessingProvider):
    def load(self):
        ProcessingConfig.settingIcons[self.name()] = self.icon()
        ProcessingConfig.addSetting(
            Setting(self.name(), cli.BINARY_SETTING, "cptsmap binary (empty: cptsmap on PATH)", "", valuetype=Setting.FILE)
        )
        ProcessingConfig.readSettings()
        self.refreshAlgorithms()
        return True

    def unload(self):
        ProcessingConfig.removeSetting(cli.BINARY_SETTING)

    def loadAlgorithms(self):  # noqa: N802 (QGIS's name)
        for alg in (BuildAlgorithm(), CheckAlgorithm(), CleanAlgorithm(), SimplifyAlgorithm(), ResolveAlgorithm(), DiffAlgorithm()):
            self.addAlgorithm(alg)

    def id(self):
        return "cptsmap"

    def name(self):
        return "cptsmap"

    def longName(self):  # noqa: N802
        return "cptsmap: CPTS territories from French communes"

    def icon(self):
        return QIcon(os.path.join(os.path.dirname(__file__), "icon.svg"))

    def svgIconPath(self):  # noqa: N802
        return os.path.join(os.path.dirname(__file__), "icon.svg")

    def canBeActivated(self):  # noqa: N802
        return True

    def warningMessage(self):  # noqa: N802
        return cli.binary_problem()
