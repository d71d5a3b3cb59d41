"""The algorithms of the cptsmap provider (build, check, clean, simplify, resolve, diff). Each builds a cptsmap command line from its
parameters, runs it through cli.run (progress, cancel, errors), and adds what it wrote to the project."""

import json
import os

from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsFeatureSink,
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingLayerPostProcessorInterface,
    QgsProcessingOutputFile,
    QgsProcessingOutputNumber,
    QgsProcessingOutputVectorLayer,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsRendererCategory,
    QgsSymbol,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QVariant
from qgis.PyQt.QtGui import QColor

from . import cli

# The vector layers `cptsmap build` writes, with their names in the project, top to bottom of the
# legend reversed (added first is drawn first: communes at the bottom, overlaps on top).
BUILD_LAYERS = [
    ("study_area", "STUDY_AREA", "Study area"),
    ("communes", "COMMUNES_OUT", "Communes"),
    ("territories", "TERRITORIES", "CPTS territories"),
    ("gaps", "GAPS", "Gaps"),
    ("overlaps", "OVERLAPS", "Overlaps"),
]
FORMATS = [("gpkg", "GeoPackage (cptsmap.gpkg, with its layer styles)"), ("geojson", "GeoJSON"), ("fgb", "FlatGeobuf"), ("shp", "Shapefile")]
CHECK_LAYERS = [("invalid_rings", "Invalid rings"), ("overlaps", "Overlaps between communes"), ("gaps", "Gaps between communes"),
                ("unmatched_edges", "Unmatched edges")]

# A few colours for the fallback categorized style (territory_colour's palette is in the GeoPackage style).
_PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]


class _CptsmapAlgorithm(QgsProcessingAlgorithm):
    def group(self):
        return ""

    def groupId(self):  # noqa: N802
        return ""

    def createInstance(self):  # noqa: N802
        return type(self)()

    def _communes_args(self, parameters, context, feedback, name="COMMUNES"):
        """--communes PATH [--layer NAME]: the layer's own file when cptsmap can read it as it is (so
        that its EPCI layer beside it is found), else a temporary GeoPackage of its features."""
        path, layer_name = self.parameterAsCompatibleSourceLayerPathAndLayerName(
            parameters, name, context, ["gpkg", "shp", "geojson", "fgb", "sqlite"], "gpkg", feedback
        )
        if not path:
            raise QgsProcessingException("no commune layer")
        args = ["--communes", path]
        if layer_name:
            args += ["--layer", layer_name]
        return args

    def _rewrite_args(self, command, parameters, context, feedback):
        """`COMMAND --input LAYER [--layer NAME] --out FILE --overwrite`, for the algorithms that write
        their INPUT layer anew into their OUTPUT file (clean, simplify); the arguments and the file."""
        output = self.parameterAsFileOutput(parameters, "OUTPUT", context)
        os.makedirs(os.path.dirname(os.path.abspath(output)), exist_ok=True)
        source = self._communes_args(parameters, context, feedback, "INPUT")
        return [command, "--input"] + source[1:] + ["--out", output, "--overwrite"], output

    def _optional_layer_path(self, parameters, name, context, feedback):
        """A path for --epci: the layer's own file when it is the only layer cptsmap would pick there
        (a single-layer file, or the layer named EPCI of a delivery), else a temporary file of it."""
        if parameters.get(name) in (None, ""):
            return None
        path, layer_name = self.parameterAsCompatibleSourceLayerPathAndLayerName(parameters, name, context, ["gpkg", "shp", "geojson"], "gpkg", feedback)
        if layer_name and layer_name.upper() != "EPCI" and not path.lower().endswith(".shp"):
            path = self.parameterAsCompatibleSourceLayerPath(parameters, name, context, ["shp"], "shp", feedback)
        return path or None


_POST_PROCESSORS = {}


class _LayerStyle(QgsProcessingLayerPostProcessorInterface):
    """Runs on the main thread once a result layer is in the project: its default style (the
    GeoPackage's layer_styles, a .qml beside the file), and for the territories a categorized style
    by id when that gave none. (Processing opens result layers without their default style.)"""

    def __init__(self, territories):
        super().__init__()
        self.territories = territories

    def postProcessLayer(self, layer, context, feedback):  # noqa: N802 (QGIS's name)
        if not isinstance(layer, QgsVectorLayer):
            return
        layer.loadDefaultStyle()
        if self.territories:
            style_territories(layer)
        layer.triggerRepaint()


def _load(context, uri, display_name, output_name, territories=False):
    """Adds the layer at `uri` to the project when the algorithm completes, styled."""
    details = QgsProcessingContext.LayerDetails(display_name, context.project(), output_name)
    # Processing does not own post-processors, and runs a copy of the algorithm in its task: they
    # are kept here, one per output file (a later run writing to the same file replaces it).
    post = _POST_PROCESSORS[uri] = _LayerStyle(territories)
    details.setPostProcessor(post)
    context.addLayerToLoadOnCompletion(uri, details)
    return uri


def style_territories(layer):
    """A categorized style by territory id, unless the layer already has one (GeoPackage, .qml)."""
    if isinstance(layer.renderer(), QgsCategorizedSymbolRenderer):
        return
    index = layer.fields().indexOf("id")
    if index < 0:
        return
    categories = []
    for i, value in enumerate(sorted(str(v) for v in layer.uniqueValues(index))):
        symbol = QgsSymbol.defaultSymbol(layer.geometryType())
        symbol.setColor(QColor(_PALETTE[i % len(_PALETTE)]))
        symbol.setOpacity(0.6)
        categories.append(QgsRendererCategory(value, symbol, value))
    layer.setRenderer(QgsCategorizedSymbolRenderer("id", categories))


class BuildAlgorithm(_CptsmapAlgorithm):
    COMMUNES = "COMMUNES"
    EPCI = "EPCI"
    DEFINITIONS = "DEFINITIONS"
    MEMBERSHIP = "MEMBERSHIP"
    TERRITORY_COL = "TERRITORY_COL"
    COMMUNE_COL = "COMMUNE_COL"
    TERRITORY_NAME_COL = "TERRITORY_NAME_COL"
    SHEET = "SHEET"
    COG_HISTORY = "COG_HISTORY"
    STUDY_AREA_EXPR = "STUDY_AREA_EXPRESSION"
    FORMATS = "FORMATS"
    LAYERS = "LAYERS"
    MAP = "MAP"
    SHEETS = "SHEETS"
    CLEAN = "CLEAN"
    CLEAN_GAP_WIDTH = "CLEAN_GAP_WIDTH"
    OVERWRITE = "OVERWRITE"
    OUTPUT_FOLDER = "OUTPUT_FOLDER"

    def name(self):
        return "build"

    def displayName(self):  # noqa: N802
        return "Build CPTS territories"

    def shortHelpString(self):  # noqa: N802
        return (
            "Resolves territory definitions (a TOML definitions file, or a membership table: one row per territory and commune) "
            "against a commune layer, dissolves the territories, finds the gaps and overlaps, and writes them with report.json "
            "into the output folder (runs `cptsmap build`). The layers written are added to the project, styled: the GeoPackage "
            "carries the styles of its layers; otherwise the territories get a categorized style by territory id.\n\n"
            "EPCI names (epci(\"...\")) are read from the EPCI layer beside the communes (an ADMIN EXPRESS delivery); give the "
            "EPCI layer when the communes are not a file of such a delivery."
        )

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterFeatureSource(self.COMMUNES, "Commune layer", [QgsProcessing.TypeVectorPolygon]))
        self.addParameter(QgsProcessingParameterFeatureSource(self.EPCI, "EPCI layer (default: EPCI beside the communes)",
                                                              [QgsProcessing.TypeVector], optional=True))
        self.addParameter(QgsProcessingParameterFile(self.DEFINITIONS, "Definitions file (TOML)", extension="toml", optional=True))
        self.addParameter(QgsProcessingParameterFile(self.MEMBERSHIP, "or: membership table (CSV, XLSX, ODS)", optional=True,
                                                     fileFilter="Membership tables (*.csv *.xlsx *.ods);;All files (*)"))
        self.addParameter(QgsProcessingParameterString(self.TERRITORY_COL, "Membership table: territory id column", "territory_id", optional=True))
        self.addParameter(QgsProcessingParameterString(self.COMMUNE_COL, "Membership table: commune column (INSEE code or name)", "insee", optional=True))
        self.addParameter(QgsProcessingParameterString(self.TERRITORY_NAME_COL, "Membership table: territory name column", "territory_name", optional=True))
        self.addParameter(QgsProcessingParameterString(self.SHEET, "Membership table: sheet (default: the first)", optional=True))
        self.addParameter(QgsProcessingParameterFile(self.COG_HISTORY, "COG history (INSEE mouvements-communes CSV)", extension="csv", optional=True))
        self.addParameter(QgsProcessingParameterString(self.STUDY_AREA_EXPR, "Study area expression (default: the definitions' [study_area], "
                                                       "else the départements the territories touch)", optional=True))
        self.addParameter(QgsProcessingParameterEnum(self.FORMATS, "Formats", [f[1] for f in FORMATS], allowMultiple=True, defaultValue=[0]))
        self.addParameter(QgsProcessingParameterEnum(self.LAYERS, "Layers", [l[0] for l in BUILD_LAYERS], allowMultiple=True,
                                                     defaultValue=list(range(len(BUILD_LAYERS)))))
        self.addParameter(QgsProcessingParameterBoolean(self.MAP, "Also draw the map (map.svg, map.png, map.html)", False))
        self.addParameter(QgsProcessingParameterBoolean(self.SHEETS, "Also write the territory sheets (sheets.html, sheets.csv, ...)", False))
        self.addParameter(QgsProcessingParameterBoolean(self.CLEAN, "Clean the communes as a coverage first (overlaps to one commune, narrow gaps "
                                                        "filled: as Clean a commune layer, in memory)", False))
        self.addParameter(QgsProcessingParameterNumber(self.CLEAN_GAP_WIDTH, "Cleaning: fill the gaps up to this width (m)",
                                                       QgsProcessingParameterNumber.Double, 5.0, minValue=0.000001))
        self.addParameter(QgsProcessingParameterBoolean(self.OVERWRITE, "Write into a folder that holds other files (replacing the outputs there)", False))
        self.addParameter(QgsProcessingParameterFolderDestination(self.OUTPUT_FOLDER, "Output folder"))
        for layer, output, display in BUILD_LAYERS:
            self.addOutput(QgsProcessingOutputVectorLayer(output, display, QgsProcessing.TypeVectorPolygon))
        self.addOutput(QgsProcessingOutputFile("REPORT", "report.json"))
        self.addOutput(QgsProcessingOutputNumber("TERRITORY_COUNT", "Territories"))
        self.addOutput(QgsProcessingOutputNumber("GAP_COMMUNES", "Communes of the study area in no territory"))
        self.addOutput(QgsProcessingOutputNumber("OVERLAP_COMMUNES", "Communes in more than one territory"))
        self.addOutput(QgsProcessingOutputNumber("COVERAGE_PCT", "Population of the study area covered (%)"))

    def checkParameterValues(self, parameters, context):  # noqa: N802
        definitions = self.parameterAsFile(parameters, self.DEFINITIONS, context)
        membership = self.parameterAsFile(parameters, self.MEMBERSHIP, context)
        if bool(definitions) == bool(membership):
            return False, "Give exactly one of a definitions file and a membership table"
        return super().checkParameterValues(parameters, context)

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        out_dir = self.parameterAsString(parameters, self.OUTPUT_FOLDER, context)
        formats = [FORMATS[i][0] for i in self.parameterAsEnums(parameters, self.FORMATS, context)] or ["gpkg"]
        layers = [BUILD_LAYERS[i][0] for i in self.parameterAsEnums(parameters, self.LAYERS, context)]
        args = ["build"] + self._communes_args(parameters, context, feedback)
        epci = self._optional_layer_path(parameters, self.EPCI, context, feedback)
        if epci:
            args += ["--epci", epci]
        definitions = self.parameterAsFile(parameters, self.DEFINITIONS, context)
        if definitions:
            args += ["--definitions", definitions]
        else:
            args += ["--membership", self.parameterAsFile(parameters, self.MEMBERSHIP, context)]
            for param, option in ((self.TERRITORY_COL, "--territory-col"), (self.COMMUNE_COL, "--commune-col"),
                                  (self.TERRITORY_NAME_COL, "--territory-name-col"), (self.SHEET, "--sheet")):
                value = self.parameterAsString(parameters, param, context)
                if value:
                    args += [option, value]
        history = self.parameterAsFile(parameters, self.COG_HISTORY, context)
        if history:
            args += ["--cog-history", history]
        study_area = self.parameterAsString(parameters, self.STUDY_AREA_EXPR, context)
        if study_area:
            args += ["--study-area", study_area]
        args += ["--out", out_dir, "--format", ",".join(formats)]
        if not layers:
            raise QgsProcessingException("choose at least one layer to write")
        if len(layers) < len(BUILD_LAYERS):
            args += ["--layers", ",".join(layers)]
        if self.parameterAsBool(parameters, self.MAP, context):
            args.append("--map")
        if self.parameterAsBool(parameters, self.SHEETS, context):
            args.append("--sheets")
        if self.parameterAsBool(parameters, self.CLEAN, context):
            args += ["--clean", "--clean-gap-width", repr(self.parameterAsDouble(parameters, self.CLEAN_GAP_WIDTH, context))]
        if self.parameterAsBool(parameters, self.OVERWRITE, context):
            args.append("--overwrite")

        for line in cli.run(args, feedback):
            feedback.pushInfo(line)  # the CLI's summary

        report_path = os.path.join(out_dir, "report.json")
        results = {self.OUTPUT_FOLDER: out_dir, "REPORT": report_path}
        with open(report_path, encoding="utf-8") as f:
            report = json.load(f)
        results["TERRITORY_COUNT"] = len(report.get("territories", []))
        results["GAP_COMMUNES"] = len(report.get("gaps", []))
        results["OVERLAP_COMMUNES"] = len(report.get("overlaps", []))
        results["COVERAGE_PCT"] = report.get("study_area", {}).get("coverage_pct")
        for layer_name, output, display in BUILD_LAYERS:
            if layer_name not in layers:
                continue
            uri = _layer_uri(out_dir, formats, layer_name)
            if uri is None:
                continue
            results[output] = _load(context, uri, display, output, territories=layer_name == "territories")
        return results


def _layer_uri(out_dir, formats, layer_name):
    """Where to read `layer_name` from, preferring the formats that carry a style."""
    for fmt in ("gpkg", "fgb", "shp", "geojson"):
        if fmt not in formats:
            continue
        if fmt == "gpkg":
            path = os.path.join(out_dir, "cptsmap.gpkg")
            return path + "|layername=" + layer_name if os.path.exists(path) else None
        path = os.path.join(out_dir, layer_name + "." + fmt)
        if os.path.exists(path):
            return path
    return None


class CheckAlgorithm(_CptsmapAlgorithm):
    COMMUNES = "COMMUNES"
    GAP_WIDTH = "GAP_WIDTH"
    EDGE_TOLERANCE = "EDGE_TOLERANCE"
    MIN_AREA = "MIN_AREA"
    OUTPUT_FOLDER = "OUTPUT_FOLDER"

    def name(self):
        return "check"

    def displayName(self):  # noqa: N802
        return "Check a commune layer"

    def shortHelpString(self):  # noqa: N802
        return (
            "Checks a commune layer as a coverage (runs `cptsmap check`): invalid rings, overlaps between communes, gaps between "
            "them, and boundary stretches that do not match their neighbour's. Each kind of problem is a layer added to the "
            "project; check.json holds the figures."
        )

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterFeatureSource(self.COMMUNES, "Commune layer", [QgsProcessing.TypeVectorPolygon]))
        self.addParameter(QgsProcessingParameterNumber(self.GAP_WIDTH, "Gap width (m): holes up to this width are gaps",
                                                       QgsProcessingParameterNumber.Double, 5.0, minValue=0.000001))
        self.addParameter(QgsProcessingParameterNumber(self.EDGE_TOLERANCE, "Edge tolerance (m) (default: the gap width)",
                                                       QgsProcessingParameterNumber.Double, optional=True, minValue=0.0))
        self.addParameter(QgsProcessingParameterNumber(self.MIN_AREA, "Leave out overlaps and gaps smaller than (m²)",
                                                       QgsProcessingParameterNumber.Double, 0.01, minValue=0.0))
        self.addParameter(QgsProcessingParameterFolderDestination(self.OUTPUT_FOLDER, "Output folder"))
        for name, display in CHECK_LAYERS:
            self.addOutput(QgsProcessingOutputVectorLayer(name.upper(), display))
        self.addOutput(QgsProcessingOutputFile("CHECK_JSON", "check.json"))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        out_dir = self.parameterAsString(parameters, self.OUTPUT_FOLDER, context)
        args = ["check"] + self._communes_args(parameters, context, feedback) + ["--out", out_dir]
        args += ["--gap-width", repr(self.parameterAsDouble(parameters, self.GAP_WIDTH, context))]
        if parameters.get(self.EDGE_TOLERANCE) not in (None, ""):
            args += ["--edge-tolerance", repr(self.parameterAsDouble(parameters, self.EDGE_TOLERANCE, context))]
        args += ["--min-area", repr(self.parameterAsDouble(parameters, self.MIN_AREA, context))]
        for line in cli.run(args, feedback):
            feedback.pushInfo(line)
        results = {self.OUTPUT_FOLDER: out_dir, "CHECK_JSON": os.path.join(out_dir, "check.json")}
        for name, display in CHECK_LAYERS:
            path = os.path.join(out_dir, name + ".geojson")
            if os.path.exists(path):
                results[name.upper()] = _load(context, path, display, name.upper())
        return results


class ResolveAlgorithm(_CptsmapAlgorithm):
    COMMUNES = "COMMUNES"
    EXPRESSION = "EXPRESSION"
    COG_HISTORY = "COG_HISTORY"
    EPCI = "EPCI"
    CODE_FIELD = "CODE_FIELD"
    OUTPUT = "OUTPUT"

    def name(self):
        return "resolve"

    def displayName(self):  # noqa: N802
        return "Resolve an expression"

    def shortHelpString(self):  # noqa: N802
        return (
            "The communes an expression of the definition language selects (runs `cptsmap resolve`), e.g. "
            "epci(\"Dijon Métropole\") - commune(\"Fénay\"), as a layer: the features of the commune layer whose INSEE "
            "code is among them. The code field is found by itself (the one holding the codes cptsmap printed) unless given."
        )

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterFeatureSource(self.COMMUNES, "Commune layer", [QgsProcessing.TypeVectorPolygon]))
        self.addParameter(QgsProcessingParameterString(self.EXPRESSION, "Expression", multiLine=True))
        self.addParameter(QgsProcessingParameterFile(self.COG_HISTORY, "COG history (INSEE mouvements-communes CSV)", extension="csv", optional=True))
        self.addParameter(QgsProcessingParameterFeatureSource(self.EPCI, "EPCI layer (default: EPCI beside the communes)",
                                                              [QgsProcessing.TypeVector], optional=True))
        self.addParameter(QgsProcessingParameterField(self.CODE_FIELD, "INSEE code field (default: found by itself)", parentLayerParameterName=self.COMMUNES,
                                                      optional=True))
        self.addParameter(QgsProcessingParameterFeatureSink(self.OUTPUT, "Selected communes", QgsProcessing.TypeVectorPolygon))
        self.addOutput(QgsProcessingOutputNumber("COUNT", "Communes selected"))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        args = ["resolve"] + self._communes_args(parameters, context, feedback)
        history = self.parameterAsFile(parameters, self.COG_HISTORY, context)
        if history:
            args += ["--cog-history", history]
        epci = self._optional_layer_path(parameters, self.EPCI, context, feedback)
        if epci:
            args += ["--epci", epci]
        args += ["--", self.parameterAsString(parameters, self.EXPRESSION, context)]
        codes = set()
        for line in cli.run(args, feedback):
            code = line.split("\t", 1)[0]  # INSEE code, tab, name
            if code:
                codes.add(code)
        feedback.pushInfo("{} communes selected".format(len(codes)))

        source = self.parameterAsSource(parameters, self.COMMUNES, context)
        field = self.parameterAsString(parameters, self.CODE_FIELD, context) or _code_field(source, codes)
        sink, dest_id = self.parameterAsSink(parameters, self.OUTPUT, context, source.fields(), source.wkbType(), source.sourceCrs())
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.OUTPUT))
        written = 0
        if codes:
            if field is None:
                raise QgsProcessingException("no field of the commune layer holds the INSEE codes cptsmap selected; give the code field")
            index = source.fields().indexOf(field)
            for feature in source.getFeatures():
                if feedback.isCanceled():
                    break
                if str(feature.attribute(index)) in codes:
                    sink.addFeature(feature, QgsFeatureSink.FastInsert)
                    written += 1
        if written != len(codes) and not feedback.isCanceled():
            feedback.pushWarning("{} communes selected but {} features written (field {})".format(len(codes), written, field))
        return {self.OUTPUT: dest_id, "COUNT": written}


# The colours of the kinds of change (as on diff.svg).
CHANGE_COLOURS = {"joined": "#1a9850", "moved": "#2c7bb6", "left": "#969696", "became a gap": "#d7191c",
                  "became an overlap": "#54278f", "overlap resolved": "#fdae61", "changed": "#e6ab02"}


# The reasons of `cptsmap clean`'s changes.
REASON_COLOURS = {"overlap": "#d7191c", "gap": "#2c7bb6", "snap": "#1a9850", "node": "#969696", "make-valid": "#54278f"}


class _ChangeStyle(QgsProcessingLayerPostProcessorInterface):
    """A changes layer categorized by kind of change (`field`, coloured by `colours`), on the main
    thread once it is loaded: diff's changes by "change", clean's by "reason"."""

    def __init__(self, field="change", colours=None):
        super().__init__()
        self.field = field
        self.colours = CHANGE_COLOURS if colours is None else colours

    def postProcessLayer(self, layer, context, feedback):  # noqa: N802 (QGIS's name)
        if not isinstance(layer, QgsVectorLayer):
            return
        index = layer.fields().indexOf(self.field)
        if index < 0:
            return
        categories = []
        for value in sorted(str(v) for v in layer.uniqueValues(index)):
            symbol = QgsSymbol.defaultSymbol(layer.geometryType())
            symbol.setColor(QColor(self.colours.get(value, "#e6ab02")))
            symbol.setOpacity(0.8)
            categories.append(QgsRendererCategory(value, symbol, value))
        layer.setRenderer(QgsCategorizedSymbolRenderer(self.field, categories))
        layer.triggerRepaint()


class DiffAlgorithm(_CptsmapAlgorithm):
    COMMUNES = "COMMUNES"
    BEFORE = "BEFORE"
    AFTER = "AFTER"
    COG_HISTORY = "COG_HISTORY"
    MAP = "MAP"
    OUTPUT_FOLDER = "OUTPUT_FOLDER"

    def name(self):
        return "diff"

    def displayName(self):  # noqa: N802
        return "Diff two versions of the territories"

    def shortHelpString(self):  # noqa: N802
        return (
            "What changed between two versions of the territories on one commune layer (runs `cptsmap diff`): each version a "
            "definitions file (TOML), a membership table, or an earlier build's report.json. The communes whose claims changed "
            "(joined, left, moved, became a gap or an overlap, overlap resolved) are a layer added to the project, categorized "
            "by kind of change; territory_changes.csv and diff.json hold the communes and population each territory gained "
            "and lost and the coverage before and after. With the COG history, a version in older codes is carried to today's."
        )

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterFeatureSource(self.COMMUNES, "Commune layer", [QgsProcessing.TypeVectorPolygon]))
        self.addParameter(QgsProcessingParameterFile(self.BEFORE, "Before: definitions (TOML), membership table, or report.json"))
        self.addParameter(QgsProcessingParameterFile(self.AFTER, "After: the same kinds"))
        self.addParameter(QgsProcessingParameterFile(self.COG_HISTORY, "COG history (INSEE mouvements-communes CSV)", extension="csv", optional=True))
        self.addParameter(QgsProcessingParameterBoolean(self.MAP, "Also draw diff.svg and diff.png", False))
        self.addParameter(QgsProcessingParameterFolderDestination(self.OUTPUT_FOLDER, "Output folder"))
        self.addOutput(QgsProcessingOutputVectorLayer("CHANGES", "Communes that changed"))
        self.addOutput(QgsProcessingOutputFile("DIFF_JSON", "diff.json"))
        self.addOutput(QgsProcessingOutputNumber("CHANGED", "Communes changed"))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        out_dir = self.parameterAsString(parameters, self.OUTPUT_FOLDER, context)
        args = ["diff"] + self._communes_args(parameters, context, feedback)
        args += ["--before", self.parameterAsFile(parameters, self.BEFORE, context), "--after", self.parameterAsFile(parameters, self.AFTER, context)]
        history = self.parameterAsFile(parameters, self.COG_HISTORY, context)
        if history:
            args += ["--cog-history", history]
        if self.parameterAsBool(parameters, self.MAP, context):
            args += ["--map"]
        args += ["--out", out_dir]
        for line in cli.run(args, feedback):
            feedback.pushInfo(line)
        diff_json = os.path.join(out_dir, "diff.json")
        with open(diff_json, encoding="utf-8") as f:
            changed = len(json.load(f)["communes"])
        changes = os.path.join(out_dir, "changes.geojson")
        details = QgsProcessingContext.LayerDetails("Communes that changed", context.project(), "CHANGES")
        post = _POST_PROCESSORS[changes] = _ChangeStyle()
        details.setPostProcessor(post)
        context.addLayerToLoadOnCompletion(changes, details)
        return {self.OUTPUT_FOLDER: out_dir, "CHANGES": changes, "DIFF_JSON": diff_json, "CHANGED": changed}


class CleanAlgorithm(_CptsmapAlgorithm):
    INPUT = "INPUT"
    SNAP_DISTANCE = "SNAP_DISTANCE"
    OVERLAP_RULE = "OVERLAP_RULE"
    PRIORITY = "PRIORITY"
    GAP_WIDTH = "GAP_WIDTH"
    MIN_AREA = "MIN_AREA"
    ID_FIELD = "ID_FIELD"
    OUTPUT = "OUTPUT"
    RULES = ["longest-border", "largest", "smallest", "priority"]

    def name(self):
        return "clean"

    def displayName(self):  # noqa: N802
        return "Clean a commune layer"

    def shortHelpString(self):  # noqa: N802
        return (
            "Repairs a commune layer as a coverage (runs `cptsmap clean`): borders noded where they cross, each overlap given to "
            "one commune by the rule, each gap up to the gap width (measured as Check measures it) given to a commune along it, "
            "so that neighbours share their borders. No commune disappears. The cleaned layer keeps the input's fields and CRS "
            "(its format from the output's extension); every change is a row of clean.csv and a feature of changes.geojson "
            "beside it (which commune gained or lost how many m², and why), added to the project by reason. Existing files "
            "there are replaced."
        )

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterFeatureSource(self.INPUT, "Commune layer (projected CRS, metres)", [QgsProcessing.TypeVectorPolygon]))
        self.addParameter(QgsProcessingParameterEnum(self.OVERLAP_RULE, "Who keeps an overlap and receives a gap",
                                                     ["the commune with the longest border with it", "the largest commune", "the smallest commune",
                                                      "the commune of greatest priority"], defaultValue=0))
        self.addParameter(QgsProcessingParameterField(self.PRIORITY, "Priority field (numeric; with the priority rule)", parentLayerParameterName=self.INPUT,
                                                      type=QgsProcessingParameterField.Numeric, optional=True))
        self.addParameter(QgsProcessingParameterNumber(self.GAP_WIDTH, "Gap width (m): holes up to this width are filled",
                                                       QgsProcessingParameterNumber.Double, 5.0, minValue=0.000001))
        self.addParameter(QgsProcessingParameterNumber(self.SNAP_DISTANCE, "Snap vertices closer than (m; 0: no snapping)",
                                                       QgsProcessingParameterNumber.Double, 0.0, minValue=0.0))
        self.addParameter(QgsProcessingParameterNumber(self.MIN_AREA, "Slivers smaller than this (m²) are not changes of their own",
                                                       QgsProcessingParameterNumber.Double, 0.01, minValue=0.0))
        self.addParameter(QgsProcessingParameterField(self.ID_FIELD, "Field naming the communes in the changes", defaultValue="INSEE_COM",
                                                      parentLayerParameterName=self.INPUT, optional=True))
        self.addParameter(QgsProcessingParameterFileDestination(self.OUTPUT, "Cleaned layer",
                                                                "GeoPackage (*.gpkg);;Shapefile (*.shp);;GeoJSON (*.geojson);;FlatGeobuf (*.fgb)"))
        self.addOutput(QgsProcessingOutputVectorLayer("CHANGES", "Changes made by clean"))
        self.addOutput(QgsProcessingOutputFile("CLEAN_CSV", "clean.csv"))
        self.addOutput(QgsProcessingOutputNumber("CHANGE_COUNT", "Changes"))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        args, output = self._rewrite_args("clean", parameters, context, feedback)
        rule = self.RULES[self.parameterAsEnum(parameters, self.OVERLAP_RULE, context)]
        args += ["--overlap-rule", rule]
        priority = self.parameterAsFields(parameters, self.PRIORITY, context)
        if rule == "priority":
            if not priority:
                raise QgsProcessingException("the priority rule needs a priority field (a numeric field whose greatest value wins, e.g. POPULATION)")
            args += ["--priority", priority[0]]
        args += ["--gap-width", repr(self.parameterAsDouble(parameters, self.GAP_WIDTH, context))]
        args += ["--snap-distance", repr(self.parameterAsDouble(parameters, self.SNAP_DISTANCE, context))]
        args += ["--min-area", repr(self.parameterAsDouble(parameters, self.MIN_AREA, context))]
        id_field = self.parameterAsFields(parameters, self.ID_FIELD, context)
        if id_field:
            args += ["--id-field", id_field[0]]
        for line in cli.run(args, feedback):
            feedback.pushInfo(line)
        folder = os.path.dirname(os.path.abspath(output))
        clean_csv = os.path.join(folder, "clean.csv")
        with open(clean_csv, encoding="utf-8") as f:
            count = max(sum(1 for _ in f) - 1, 0)
        context.addLayerToLoadOnCompletion(output, QgsProcessingContext.LayerDetails("Cleaned communes", context.project(), self.OUTPUT))
        changes = os.path.join(folder, "changes.geojson")
        details = QgsProcessingContext.LayerDetails("Changes made by clean", context.project(), "CHANGES")
        post = _POST_PROCESSORS[changes] = _ChangeStyle("reason", REASON_COLOURS)
        details.setPostProcessor(post)
        context.addLayerToLoadOnCompletion(changes, details)
        return {self.OUTPUT: output, "CHANGES": changes, "CLEAN_CSV": clean_csv, "CHANGE_COUNT": count}


class SimplifyAlgorithm(_CptsmapAlgorithm):
    INPUT = "INPUT"
    METHOD = "METHOD"
    TOLERANCE = "TOLERANCE"
    PERCENT = "PERCENT"
    OUTPUT = "OUTPUT"

    def name(self):
        return "simplify"

    def displayName(self):  # noqa: N802
        return "Simplify a commune layer"

    def shortHelpString(self):  # noqa: N802
        return (
            "Simplifies a commune layer on its shared borders (runs `cptsmap simplify`): each border between two communes is "
            "simplified once for both (Visvalingam, weighted as mapshaper's default), so that neighbours stay edge-matched and no "
            "gap, overlap or invalid ring appears. By a tolerance in metres, or by the share of the removable vertices to keep. "
            "The layer keeps the input's fields and CRS (its format from the output's extension); an existing file is replaced."
        )

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterFeatureSource(self.INPUT, "Commune layer", [QgsProcessing.TypeVectorPolygon]))
        self.addParameter(QgsProcessingParameterEnum(self.METHOD, "Simplify by", ["a tolerance (m)", "the share of vertices to keep (%)"], defaultValue=1))
        self.addParameter(QgsProcessingParameterNumber(self.TOLERANCE, "Tolerance (m): remove the vertices that matter less than this",
                                                       QgsProcessingParameterNumber.Double, 100.0, minValue=0.0))
        self.addParameter(QgsProcessingParameterNumber(self.PERCENT, "Keep this share of the removable vertices (%)",
                                                       QgsProcessingParameterNumber.Double, 10.0, minValue=0.0, maxValue=100.0))
        self.addParameter(QgsProcessingParameterFileDestination(self.OUTPUT, "Simplified layer",
                                                                "GeoPackage (*.gpkg);;Shapefile (*.shp);;GeoJSON (*.geojson);;FlatGeobuf (*.fgb)"))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        args, output = self._rewrite_args("simplify", parameters, context, feedback)
        if self.parameterAsEnum(parameters, self.METHOD, context) == 0:
            args += ["--simplify", repr(self.parameterAsDouble(parameters, self.TOLERANCE, context))]
        else:
            args += ["--simplify-pct", repr(self.parameterAsDouble(parameters, self.PERCENT, context))]
        for line in cli.run(args, feedback):
            feedback.pushInfo(line)
        context.addLayerToLoadOnCompletion(output, QgsProcessingContext.LayerDetails("Simplified communes", context.project(), self.OUTPUT))
        return {self.OUTPUT: output}


def _code_field(source, codes):
    """The text field holding the most of `codes` (ties: the first), or None."""
    candidates = [f.name() for f in source.fields() if f.type() == QVariant.String]
    counts = dict.fromkeys(candidates, 0)
    for feature in source.getFeatures():
        for name in candidates:
            if str(feature[name]) in codes:
                counts[name] += 1
    best = max(candidates, key=lambda n: counts[n], default=None)
    return best if best is not None and counts[best] > 0 else None
