#!/usr/bin/env python3
"""The QGIS plugin in headless QGIS, for real (run by ctest, see CMakeLists.txt here):

1. packages the plugin with scripts/package-qgis-plugin, unzips it into a temporary QGIS profile's
   python/plugins, and loads it as QGIS loads a Processing plugin (qgis.utils.startProcessingPlugin);
2. lists the provider's algorithms; points the provider's setting at this build's CLI;
3. Build on the Côte-d'Or example (examples/cote-dor.toml), loading its results into the project:
   the layers' feature counts against report.json, the territories styled by category (id);
   the progress came from the CLI; the same with GeoJSON only (the plugin's own categorized style);
4. Check a commune layer, Clean it, Build with cleaning into a folder of other files, Simplify, and
   Resolve an expression, against the CLI run directly;
5. a bad definition: the algorithm fails with the CLI's own error line, which is in the log;
6. cancel (at the first progress report, and while writing over an earlier build's folder):
   the CLI got SIGTERM and the output folder is as it was (absent, or the earlier build untouched).

Exit 0: all passed; 1: a check failed; 77 (ctest SKIP_RETURN_CODE): no PyQGIS or no shared data,
unless CI=true or CPTSMAP_REQUIRE_SHARED_DATA=1 (as tests/support's shared_data_required), then 1.
With --screenshots DIR, also renders the result (qgis-result.png) and grabs the Build dialog
(qgis-dialog.png) into DIR: docs/ of the repository holds the ones the README shows.
"""

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
import traceback
import zipfile

SKIP = 77


def required():
    return os.environ.get("CI") == "true" or os.environ.get("CPTSMAP_REQUIRE_SHARED_DATA") == "1"


def skip_or_fail(message):
    if required():
        print("FAILED (required under CI=true): " + message, file=sys.stderr)
        sys.exit(1)
    print("SKIPPED: " + message, file=sys.stderr)
    sys.exit(SKIP)


parser = argparse.ArgumentParser()
parser.add_argument("--cli", required=True)
parser.add_argument("--source-dir", required=True)
parser.add_argument("--shared-data", required=True)
parser.add_argument("--work-dir", required=True)
parser.add_argument("--screenshots", help="folder to write qgis-result.png and qgis-dialog.png into")
args = parser.parse_args()

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
try:
    from qgis.core import QgsApplication
except ImportError as e:
    skip_or_fail("PyQGIS is not importable by {} ({}); on Debian: apt-get install qgis python3-qgis qgis-providers "
                 "(scripts/install-deps)".format(sys.executable, e))

communes_dir = os.path.join(args.shared_data, "admin-express", "cote-dor-haute-marne")
communes_shp = os.path.join(communes_dir, "COMMUNE.shp")
if not os.path.isfile(communes_shp):
    skip_or_fail(communes_shp + " not found: the shared data (CPTSMAP_SHARED_DATA_DIR) is absent")
definitions = os.path.join(args.source_dir, "examples", "cote-dor.toml")

started = time.monotonic()
shutil.rmtree(args.work_dir, ignore_errors=True)
os.makedirs(args.work_dir)
work = args.work_dir
# QGIS's and Processing's temporary files (processing_*, QGIS3-*) under the work folder, not /tmp.
os.makedirs(os.path.join(work, "tmp"))
os.environ["TMPDIR"] = os.path.join(work, "tmp")
profile = os.path.join(work, "profile")
plugins_dir = os.path.join(profile, "python", "plugins")
os.makedirs(plugins_dir)

# 1. The zip, made by the packaging script, unzipped into the profile as "Install from ZIP" does.
zip_path = os.path.join(work, "cptsmap-qgis-plugin.zip")
subprocess.run([os.path.join(args.source_dir, "scripts", "package-qgis-plugin"), zip_path], check=True, stdout=subprocess.DEVNULL)
with zipfile.ZipFile(zip_path) as z:
    names = z.namelist()
    assert all(n.startswith("cptsmap/") for n in names), names
    assert "cptsmap/metadata.txt" in names and "cptsmap/__init__.py" in names, names
    assert not any("__pycache__" in n for n in names), names
    z.extractall(plugins_dir)

# Settings in the temporary profile, not the user's (the provider's binary path is one).
from qgis.PyQt.QtCore import QCoreApplication, QSettings  # noqa: E402

QCoreApplication.setOrganizationName("QGIS")
QCoreApplication.setApplicationName("QGIS3")
QSettings.setDefaultFormat(QSettings.IniFormat)
QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, profile)
QgsApplication.setPrefixPath("/usr", True)
app = QgsApplication([], True, profile)
app.initQgis()
sys.path.insert(0, "/usr/share/qgis/python/plugins")  # Processing itself, as QGIS puts it on the path
sys.path.insert(0, plugins_dir)

import processing  # noqa: E402
import qgis.utils  # noqa: E402
from processing.core.Processing import Processing  # noqa: E402
from processing.core.ProcessingConfig import ProcessingConfig  # noqa: E402
from processing.gui.Postprocessing import handleAlgorithmResults  # noqa: E402
from qgis.core import (  # noqa: E402
    QgsCategorizedSymbolRenderer,
    QgsFeatureRequest,
    QgsMapRendererSequentialJob,
    QgsMapSettings,
    QgsProcessingAlgRunnerTask,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProject,
    QgsRectangle,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QSize, Qt  # noqa: E402
from qgis.PyQt.QtGui import QColor  # noqa: E402

Processing.initialize()
# QGIS's own log (Processing's "Error loading result layer", Python errors) on this test's output.
QgsApplication.messageLog().messageReceived.connect(
    lambda message, tag, level: print("  [qgis log {}] {}".format(tag, message), flush=True) if level >= 1 else None)

failures = []


def check(condition, what):
    if not condition:
        failures.append(what)
        print("  FAIL: " + what, flush=True)
    return condition


def section(name):
    print("== " + name, flush=True)


class Feedback(QgsProcessingFeedback):
    """Records what the algorithm reported; optionally cancels when `cancel_when(text)` is true."""

    def __init__(self, cancel_when=None):
        super().__init__()
        self.progress, self.texts, self.infos, self.errors, self.commands, self.warnings = [], [], [], [], [], []
        self.cancel_when = cancel_when
        self.progressChanged.connect(self._progress)

    def _progress(self, value):
        # The CLI's, not Processing's own "Loading resulting layers" afterwards.
        if self.texts and self.texts[-1].split(":")[0] in ("computing", "writing", "checking", "resolving"):
            self.progress.append(value)

    def setProgressText(self, text):  # noqa: N802
        self.texts.append(text)
        if self.cancel_when is not None and self.cancel_when(text) and not self.isCanceled():
            self.cancel()
        super().setProgressText(text)

    def pushInfo(self, info):  # noqa: N802
        self.infos.append(info)
        super().pushInfo(info)

    def pushWarning(self, warning):  # noqa: N802
        self.warnings.append(warning)
        super().pushWarning(warning)

    def pushCommandInfo(self, info):  # noqa: N802
        self.commands.append(info)
        super().pushCommandInfo(info)

    def reportError(self, error, fatalError=False):  # noqa: N802
        self.errors.append(error)
        super().reportError(error, fatalError)


def cli(*cli_args):
    return subprocess.run([args.cli] + list(cli_args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def tree(folder):
    """Every file under `folder` (relative path -> sha256), or None when the folder is absent."""
    if not os.path.exists(folder):
        return None
    out = {}
    for root, _, files in os.walk(folder):
        for name in files:
            path = os.path.join(root, name)
            with open(path, "rb") as f:
                out[os.path.relpath(path, folder)] = hashlib.sha256(f.read()).hexdigest()
    return out


def project_layer(uri):
    """The one layer of the project read from `uri` (an algorithm's output); its name follows the
    user's Processing setting "prefer file names as layer names", so it is not looked up by name."""
    layers = [l for l in QgsProject.instance().mapLayers().values() if l.source() == uri]
    return layers[0] if len(layers) == 1 else None


try:
    # 2. The plugin loads as QGIS loads it; its provider and algorithms are registered.
    section("install and load the plugin")
    qgis.utils.plugin_paths = [plugins_dir]
    qgis.utils.updateAvailablePlugins()
    check("cptsmap" in qgis.utils.available_plugins, "the unzipped plugin is found in the profile: " + str(qgis.utils.available_plugins))
    check(qgis.utils.pluginMetadata("cptsmap", "hasProcessingProvider") == "yes", "metadata.txt declares a Processing provider")
    check(qgis.utils.loadPlugin("cptsmap") and qgis.utils.startProcessingPlugin("cptsmap"), "the plugin starts")
    check(qgis.utils.plugins["cptsmap"].__module__.startswith("cptsmap"), "the plugin object comes from the zip's package")
    check(os.path.dirname(sys.modules["cptsmap"].__file__) == os.path.join(plugins_dir, "cptsmap"), "the package imported is the unzipped one")
    registry = QgsApplication.processingRegistry()
    provider = registry.providerById("cptsmap")
    check(provider is not None, "the cptsmap provider is registered")
    algorithms = {a.id(): a.displayName() for a in provider.algorithms()} if provider else {}
    print("  algorithms: " + ", ".join("{} ({})".format(k, v) for k, v in sorted(algorithms.items())))
    check(algorithms == {"cptsmap:build": "Build CPTS territories", "cptsmap:check": "Check a commune layer",
                         "cptsmap:clean": "Clean a commune layer", "cptsmap:simplify": "Simplify a commune layer",
                         "cptsmap:resolve": "Resolve an expression", "cptsmap:diff": "Diff two versions of the territories"},
          "the six algorithms are listed")

    # The binary: the provider's setting, as for GRASS or SAGA (no cptsmap on this test's PATH).
    os.environ["PATH"] = os.pathsep.join(p for p in os.environ.get("PATH", "").split(os.pathsep) if not os.path.isfile(os.path.join(p, "cptsmap")))
    check(provider.warningMessage().startswith("cptsmap binary not found"), "without the setting nor PATH, the provider says the binary is missing")
    not_a_binary = os.path.join(work, "not-a-binary.txt")  # the setting's validator wants a file that exists
    with open(not_a_binary, "w") as f:
        f.write("no\n")
    ProcessingConfig.setSettingValue("CPTSMAP_BINARY", not_a_binary)
    check(provider.warningMessage().endswith("not-a-binary.txt (Settings > Options > Processing > Providers > cptsmap) is not an executable file"),
          "a wrong binary path is named: " + provider.warningMessage())
    message = None
    try:
        processing.run("cptsmap:resolve", {"COMMUNES": communes_shp, "EXPRESSION": 'dep("21")', "OUTPUT": "memory:"}, feedback=Feedback())
    except QgsProcessingException as e:
        message = str(e)
    check(message == provider.warningMessage(), "an algorithm run without a binary fails saying so: " + str(message))
    ProcessingConfig.setSettingValue("CPTSMAP_BINARY", os.path.abspath(args.cli))
    check(provider.warningMessage() == "", "with the setting, the binary is found")

    # 3. Build on the Côte-d'Or example, results loaded into the project.
    section("Build CPTS territories: Côte-d'Or, GeoPackage")
    out = os.path.join(work, "build", "out")
    feedback = Feedback()
    t0 = time.monotonic()
    results = processing.runAndLoadResults("cptsmap:build", {
        "COMMUNES": communes_shp, "DEFINITIONS": definitions, "FORMATS": [0], "OUTPUT_FOLDER": out}, feedback=feedback)
    print("  build: {:.1f} s".format(time.monotonic() - t0))
    with open(os.path.join(out, "report.json"), encoding="utf-8") as f:
        report = json.load(f)
    ids = sorted(t["id"] for t in report["territories"])
    check(len(ids) == 4, "4 territories in report.json: " + str(ids))
    check(results["TERRITORY_COUNT"] == 4 and results["GAP_COMMUNES"] == 396 and results["OVERLAP_COMMUNES"] == 10
          and results["COVERAGE_PCT"] == report["study_area"]["coverage_pct"], "the algorithm's figures are report.json's: " + str(results))
    check(any("--progress=json" in c and " build " in c for c in feedback.commands), "the command line is in the log: " + str(feedback.commands))
    check(any(t.startswith("computing: dissolving") for t in feedback.texts), "progress texts come from the CLI's steps: " + str(feedback.texts))
    check(any(t.startswith("writing: ") for t in feedback.texts), "the writing phase is reported")
    check(feedback.progress and feedback.progress == sorted(feedback.progress) and feedback.progress[-1] == 100.0,
          "progress increases to 100: " + str(feedback.progress))
    check(any(i.startswith("study area:") for i in feedback.infos), "the CLI's summary is in the log")
    check(any("Flacey" in w for w in feedback.warnings), "the CLI's warning about Flacey listed twice is a warning in the log: " + str(feedback.warnings))
    territories = project_layer(results.get("TERRITORIES"))
    check(territories is not None, "the territories layer is in the project")
    if territories is not None:
        check(territories.source().startswith(os.path.join(out, "cptsmap.gpkg")), "read from cptsmap.gpkg: " + territories.source())
        check(territories.featureCount() == 4, "the territories layer has 4 features")
        check(sorted(str(v) for v in territories.uniqueValues(territories.fields().indexOf("id"))) == ids, "its ids are report.json's")
        renderer = territories.renderer()
        check(isinstance(renderer, QgsCategorizedSymbolRenderer) and renderer.classAttribute() == "id", "styled by category on id: " + renderer.type())
        if isinstance(renderer, QgsCategorizedSymbolRenderer):
            check(sorted(c.value() for c in renderer.categories()) == ids, "one category per territory")
            names = {t["id"]: t["name"] for t in report["territories"]}
            check(all(c.label() == names[c.value()] for c in renderer.categories()), "labelled with the territory names (the GeoPackage's style)")
        check(territories.labelsEnabled(), "the territories are labelled (the GeoPackage's style)")

    def insee_of(layer):
        return {code for f in layer.getFeatures() for code in str(f["insee"]).split(",") if code}

    in_territories = {c for t in report["territories"] for c in t["insee"]}
    # The communes layer: the study area's communes and the territories' (those outside it too).
    expected_communes = report["study_area"]["communes"] + len(in_territories) - report["study_area"]["covered_communes"]
    communes_layer = project_layer(results.get("COMMUNES_OUT"))
    if check(communes_layer is not None, "the communes layer is in the project"):
        check(communes_layer.featureCount() == expected_communes == 749,
              "communes: {} features, report.json's 698 of the study area + the territories' outside it".format(communes_layer.featureCount()))
    gaps_layer = project_layer(results.get("GAPS"))
    if check(gaps_layer is not None, "the gaps layer is in the project"):
        check(gaps_layer.featureCount() == len(report["study_area"]["largest_gap_zones"]) == 2, "gaps: 2 zones")
        check(insee_of(gaps_layer) == set(report["gaps"]) and len(report["gaps"]) == 396, "gaps: the 396 communes of report.json")
    overlaps_layer = project_layer(results.get("OVERLAPS"))
    if check(overlaps_layer is not None, "the overlaps layer is in the project"):
        check(overlaps_layer.featureCount() == 1, "overlaps: 1 zone")
        check(insee_of(overlaps_layer) == {o["insee"] for o in report["overlaps"]} and len(report["overlaps"]) == 10,
              "overlaps: the 10 communes of report.json")
        symbol_layer = overlaps_layer.renderer().symbol().symbolLayer(0) if overlaps_layer.renderer().type() == "singleSymbol" else None
        check(symbol_layer is not None and symbol_layer.brushStyle() == Qt.DiagCrossPattern, "overlaps cross-hatched (the GeoPackage's style)")
    study_area_layer = project_layer(results.get("STUDY_AREA"))
    check(study_area_layer is not None and study_area_layer.featureCount() == 1, "the study area: 1 feature")

    section("Build CPTS territories: GeoJSON only (no stored style)")
    out_geojson = os.path.join(work, "build-geojson", "out")
    results_geojson = processing.runAndLoadResults("cptsmap:build", {
        "COMMUNES": communes_shp, "DEFINITIONS": definitions, "FORMATS": [1], "LAYERS": [2], "OUTPUT_FOLDER": out_geojson}, feedback=Feedback())
    check(sorted(os.listdir(out_geojson)) == [".cptsmap", "report.json", "resolution.csv", "territories.geojson"], "only the territories written (and the marker): "
          + str(sorted(os.listdir(out_geojson))))
    geojson_layers = [l for l in QgsProject.instance().mapLayers().values() if l.source().startswith(os.path.join(out_geojson, "territories.geojson"))]
    if check(len(geojson_layers) == 1, "the GeoJSON territories are in the project"):
        layer = geojson_layers[0]
        check(layer.featureCount() == 4, "4 territories in the GeoJSON layer")
        renderer = layer.renderer()
        check(isinstance(renderer, QgsCategorizedSymbolRenderer) and renderer.classAttribute() == "id"
              and sorted(c.value() for c in renderer.categories()) == ids, "the plugin's categorized style on id")
        if isinstance(renderer, QgsCategorizedSymbolRenderer):
            check([(c.label(), c.symbol().color().name()) for c in renderer.categories()][:2] == [(ids[0], "#1f77b4"), (ids[1], "#ff7f0e")],
                  "labelled by id in the plugin's palette (no style came with the GeoJSON)")
    check("COMMUNES_OUT" not in results_geojson, "no communes output when the layer was not asked for")

    # 4. Check and Resolve.
    section("Check a commune layer")
    check_out = os.path.join(work, "check", "out")
    feedback = Feedback()
    check_results = processing.runAndLoadResults("cptsmap:check", {"COMMUNES": communes_shp, "OUTPUT_FOLDER": check_out}, feedback=feedback)
    with open(os.path.join(check_out, "check.json"), encoding="utf-8") as f:
        check_json = json.load(f)
    direct = cli("check", "--communes", communes_dir, "--out", os.path.join(work, "check", "direct"), "-q")
    check(direct.returncode == 0, "the CLI's own check runs")
    check(tree(check_out).keys() == tree(os.path.join(work, "check", "direct")).keys(), "the plugin wrote what the CLI writes")
    with open(os.path.join(work, "check", "direct", "check.json"), encoding="utf-8") as f:
        check(json.load(f) == check_json, "check.json is the CLI's")
    check(any(t.startswith("checking: checking the coverage") for t in feedback.texts), "check reports the CLI's progress: " + str(feedback.texts))
    for name, display in (("invalid_rings", "Invalid rings"), ("overlaps", "Overlaps between communes"), ("gaps", "Gaps between communes"),
                          ("unmatched_edges", "Unmatched edges")):
        layer = project_layer(check_results.get(name.upper()))
        if check(layer is not None, display + " layer in the project"):
            on_disk = QgsVectorLayer(os.path.join(check_out, name + ".geojson"), "x", "ogr")
            check(layer.featureCount() == on_disk.featureCount(), "{}: {} features".format(display, on_disk.featureCount()))
    print("  check.json: " + json.dumps({k: v for k, v in check_json.items() if not isinstance(v, (list, dict))})[:300])

    section("Clean a commune layer")
    plugin_out = os.path.join(work, "clean", "plugin", "COMMUNE.shp")
    direct_out = os.path.join(work, "clean", "direct", "COMMUNE.shp")
    feedback = Feedback()
    clean_results = processing.runAndLoadResults("cptsmap:clean", {"INPUT": communes_shp, "OUTPUT": plugin_out}, feedback=feedback)
    direct = cli("clean", "--input", communes_shp, "-o", direct_out, "-q")
    check(direct.returncode == 0, "the CLI's own clean runs: " + direct.stderr)
    with open(os.path.join(os.path.dirname(plugin_out), "clean.csv"), encoding="utf-8") as f:
        plugin_csv = f.read()
    with open(os.path.join(os.path.dirname(direct_out), "clean.csv"), encoding="utf-8") as f:
        direct_csv = f.read()
    check(plugin_csv == direct_csv, "clean.csv is the CLI's")
    rows = plugin_csv.count("\n") - 1
    check(rows > 0 and clean_results.get("CHANGE_COUNT") == rows, "CHANGE_COUNT output: {} rows".format(rows))
    check(any("--overlap-rule longest-border" in c and "--gap-width 5.0" in c for c in feedback.commands), "the defaults passed: " + str(feedback.commands))
    cleaned = project_layer(clean_results.get("OUTPUT"))
    if check(cleaned is not None, "the cleaned layer in the project"):
        check(cleaned.featureCount() == 1124 and cleaned.crs().authid() == "EPSG:2154", "1,124 communes, in Lambert-93")
        check([f.name() for f in cleaned.fields()] == [f.name() for f in QgsVectorLayer(communes_shp, "x", "ogr").fields()], "the input's fields")
    changes = project_layer(clean_results.get("CHANGES"))
    if check(changes is not None, "the changes layer in the project"):
        check(changes.featureCount() == rows, "one change feature per clean.csv row")
        renderer = changes.renderer()
        check(isinstance(renderer, QgsCategorizedSymbolRenderer) and renderer.classAttribute() == "reason", "the changes categorized by reason")
    recheck = cli("check", "--communes", plugin_out, "--out", os.path.join(work, "clean", "check"), "-q")
    with open(os.path.join(work, "clean", "check", "check.json"), encoding="utf-8") as f:
        counts = json.load(f)["counts"]
    check(recheck.returncode == 0 and counts["overlaps"] == 0 and counts["gaps"] == 0, "check finds no overlap and no gap in the cleaned layer: " + str(counts))
    print("  clean.csv: {} changes; check on the cleaned layer: {}".format(rows, json.dumps(counts)))

    section("Build with cleaning, into a folder of other files")
    busy = os.path.join(work, "build-clean")
    os.makedirs(busy)
    with open(os.path.join(busy, "notes.txt"), "w") as f:
        f.write("a file of the user's\n")
    feedback = Feedback()
    processing.run("cptsmap:build", {"COMMUNES": communes_shp, "DEFINITIONS": definitions, "FORMATS": [1], "LAYERS": [2], "CLEAN": True,
                                     "OVERWRITE": True, "OUTPUT_FOLDER": busy}, feedback=feedback)
    check(any("--clean --clean-gap-width 5.0" in c and "--overwrite" in c for c in feedback.commands), "--clean and --overwrite passed: "
          + str(feedback.commands))
    with open(os.path.join(busy, "report.json"), encoding="utf-8") as f:
        report_clean = json.load(f)
    check(any(w.startswith("--clean: cleaned: ") for w in report_clean["warnings"]), "report.json says what was cleaned")
    check(len(report_clean["territories"]) == 4 and all(t["dissolve"] == "coverage union" for t in report_clean["territories"]),
          "cleaned, every territory is dissolved exactly: " + str([t["dissolve"] for t in report_clean["territories"]]))

    section("Simplify a commune layer")
    plugin_out = os.path.join(work, "simplify", "plugin", "COMMUNE.shp")
    direct_out = os.path.join(work, "simplify", "direct", "COMMUNE.shp")
    simplify_results = processing.runAndLoadResults("cptsmap:simplify", {"INPUT": communes_shp, "OUTPUT": plugin_out}, feedback=Feedback())
    os.makedirs(os.path.dirname(direct_out))
    direct = cli("simplify", "--input", communes_shp, "--out", direct_out, "--simplify-pct", "10.0", "-q")
    check(direct.returncode == 0, "the CLI's own simplify runs: " + direct.stderr)
    for ext in (".shp", ".dbf"):
        with open(plugin_out[:-4] + ext, "rb") as a, open(direct_out[:-4] + ext, "rb") as b:
            check(a.read() == b.read(), "the simplified " + ext + " is the CLI's at 10 %, to the byte")
    simplified = project_layer(simplify_results.get("OUTPUT"))
    if check(simplified is not None, "the simplified layer in the project"):
        check(simplified.featureCount() == 1124, "1,124 communes")

    section("Resolve an expression")
    expression = 'epci("Dijon Métropole") - commune("Fénay")'
    direct = cli("resolve", "--communes", communes_dir, expression)
    expected_codes = {line.split("\t")[0] for line in direct.stdout.splitlines() if line}
    check(direct.returncode == 0 and len(expected_codes) == 22, "the CLI selects 22 communes: " + str(len(expected_codes)))
    feedback = Feedback()
    results = processing.run("cptsmap:resolve", {"COMMUNES": communes_shp, "EXPRESSION": expression, "OUTPUT": "memory:"}, feedback=feedback)
    selected = results["OUTPUT"]
    codes = {f["INSEE_COM"] for f in selected.getFeatures()}
    check(codes == expected_codes, "the selected communes as a layer: the CLI's {} (got {})".format(len(expected_codes), len(codes)))
    check(results["COUNT"] == len(expected_codes), "COUNT output")
    check(selected.crs().authid() == "EPSG:2154", "in the commune layer's CRS")
    check(any(t.startswith("resolving: ") for t in feedback.texts), "resolve reports the CLI's progress")

    section("Resolve on a layer that is no file (memory), with the EPCI layer given")
    memory = QgsVectorLayer(communes_shp, "communes", "ogr").materialize(QgsFeatureRequest())
    check(memory.providerType() == "memory" and memory.featureCount() == 1124, "a memory layer of the 1,124 communes")
    QgsProject.instance().addMapLayer(memory)
    feedback = Feedback()
    results = processing.run("cptsmap:resolve", {"COMMUNES": memory.id(), "EXPRESSION": expression, "EPCI": os.path.join(communes_dir, "EPCI.shp"),
                                                 "OUTPUT": "memory:"}, feedback=feedback)
    check({f["INSEE_COM"] for f in results["OUTPUT"].getFeatures()} == expected_codes, "the same 22 communes, from a memory layer")
    check(any("--epci" in c and "EPCI.shp" in c for c in feedback.commands), "the EPCI layer passed with --epci")
    check(any("--communes" in c and ".gpkg" in c for c in feedback.commands), "the memory layer went through a temporary GeoPackage: "
          + str(feedback.commands))

    section("Diff two versions of the territories")
    with open(definitions, encoding="utf-8") as f:
        text = f.read()
    # Without its last CPTS (Pays d'Or, 5 communes), and Urcy moved from Centre 21 to Auxois-Morvan.
    modified = text[:text.rfind("[[territory]]")].replace('"Urcy", ', "", 1)
    modified = modified.replace('+ epci("CC de Saulieu-Morvan")', '+ epci("CC de Saulieu-Morvan") + commune("Urcy")', 1)
    after = os.path.join(work, "after.toml")
    with open(after, "w", encoding="utf-8") as f:
        f.write(modified)
    diff_out = os.path.join(work, "diff", "out")
    feedback = Feedback()
    results = processing.runAndLoadResults("cptsmap:diff", {"COMMUNES": communes_shp, "BEFORE": definitions, "AFTER": after, "MAP": True,
                                                            "OUTPUT_FOLDER": diff_out}, feedback=feedback)
    check(results.get("CHANGED") == 6, "6 communes changed: " + str(results.get("CHANGED")))
    changes = project_layer(results.get("CHANGES"))
    check(changes is not None and changes.featureCount() == 6, "the changes layer is in the project, 6 features")
    if changes is not None:
        kinds = {f["change"] for f in changes.getFeatures()}
        check(kinds == {"moved", "became a gap"}, "1 moved, 5 became a gap: " + str(kinds))
        check(isinstance(changes.renderer(), QgsCategorizedSymbolRenderer) and changes.renderer().classAttribute() == "change",
              "the changes layer is categorized by kind of change")
    check(os.path.exists(os.path.join(diff_out, "diff.png")), "diff.png drawn")
    check(any(t.startswith("comparing: ") for t in feedback.texts), "diff reports the CLI's progress: " + str(feedback.texts))

    section("Build from a membership table, with a study area expression")
    table = os.path.join(work, "membership.csv")
    with open(table, "w", encoding="utf-8") as f:
        f.write("cpts,commune,label\n")
        f.writelines("dijon,{},CPTS Dijon\n".format(code) for code in sorted(expected_codes))
        f.write("beaune,Beaune,CPTS Beaune\nbeaune,21106,CPTS Beaune\n")
    results = processing.run("cptsmap:build", {
        "COMMUNES": communes_shp, "MEMBERSHIP": table, "TERRITORY_COL": "cpts", "COMMUNE_COL": "commune", "TERRITORY_NAME_COL": "label",
        "STUDY_AREA_EXPRESSION": 'epci("Dijon Métropole") + commune("Beaune", "Pommard")', "OUTPUT_FOLDER": "TEMPORARY_OUTPUT"}, feedback=Feedback())
    membership_out = results["OUTPUT_FOLDER"]
    check(membership_out != "TEMPORARY_OUTPUT" and os.path.isfile(os.path.join(membership_out, "cptsmap.gpkg")),
          "into Processing's temporary folder: " + membership_out)
    with open(os.path.join(membership_out, "report.json"), encoding="utf-8") as f:
        membership_report = json.load(f)
    check(sorted((t["id"], t["name"], t["communes"]) for t in membership_report["territories"])
          == [("beaune", "CPTS Beaune", 2), ("dijon", "CPTS Dijon", 22)], "two territories from the table, with their names")
    # Dijon Métropole's 23 communes + Beaune + Pommard; Fénay (left out of "dijon") and Pommard are in no territory.
    check(membership_report["study_area"]["communes"] == 25 and membership_report["gaps"] == ["21263", "21492"],
          "the study area is the expression's: {} communes, gaps {}".format(membership_report["study_area"]["communes"], membership_report["gaps"]))
    check(results["TERRITORY_COUNT"] == 2, "TERRITORY_COUNT 2")

    # 5. Errors as the CLI words them.
    section("a bad definition")
    bad = os.path.join(work, "bad.toml")
    with open(bad, "w", encoding="utf-8") as f:
        f.write('[[territory]]\nid = "x"\nmembers = \'\'\'commune("Dijjon")\'\'\'\n')
    bad_out = os.path.join(work, "bad", "out")
    direct = cli("build", "--communes", communes_shp, "--definitions", bad, "--out", bad_out)
    cli_line = direct.stderr.strip().splitlines()[-1]
    print("  the CLI says: " + cli_line)
    check(direct.returncode == 1 and cli_line.startswith("cptsmap: error: ") and "Dijjon" in cli_line, "the CLI fails with one line")
    feedback = Feedback()
    message = None
    try:
        processing.run("cptsmap:build", {"COMMUNES": communes_shp, "DEFINITIONS": bad, "OUTPUT_FOLDER": bad_out}, feedback=feedback)
    except QgsProcessingException as e:
        message = str(e)
    print("  the algorithm says: " + str(message))
    check(message == cli_line, "the algorithm fails with the CLI's line")
    check(cli_line in feedback.errors, "the CLI's line is an error in the Processing log")
    check(not os.path.exists(bad_out), "nothing written")
    try:
        processing.run("cptsmap:build", {"COMMUNES": communes_shp, "OUTPUT_FOLDER": bad_out}, feedback=Feedback())
        message = None
    except QgsProcessingException as e:
        message = str(e)
    check(message is not None and "exactly one of a definitions file and a membership table" in message, "no definitions: refused: " + str(message))

    # 6. Cancel.
    section("cancel at the first progress report")
    parent = os.path.join(work, "cancel-1")
    os.makedirs(parent)
    feedback = Feedback(cancel_when=lambda text: True)
    message = None
    t0 = time.monotonic()
    try:
        processing.run("cptsmap:build", {"COMMUNES": communes_shp, "DEFINITIONS": definitions, "FORMATS": [0, 1],
                                         "OUTPUT_FOLDER": os.path.join(parent, "out")}, feedback=feedback)
    except QgsProcessingException as e:
        message = str(e)
    print("  canceled after {:.2f} s: {}".format(time.monotonic() - t0, message))
    check(message is not None and "interrupted (SIGTERM)" in message, "the CLI was stopped by SIGTERM")
    check(len(feedback.texts) >= 1 and feedback.texts[0].startswith("computing: reading the definitions"), "canceled at the first report")
    check(os.listdir(parent) == [], "nothing in the output folder's parent (no output, no staging folder): " + str(os.listdir(parent)))

    section("cancel while writing over an earlier build")
    before = tree(out)
    feedback = Feedback(cancel_when=lambda text: text.startswith("writing: "))
    message = None
    try:
        processing.run("cptsmap:build", {"COMMUNES": communes_shp, "DEFINITIONS": definitions, "FORMATS": [0, 1, 2, 3], "MAP": True,
                                         "SHEETS": True, "OUTPUT_FOLDER": out}, feedback=feedback)
    except QgsProcessingException as e:
        message = str(e)
    print("  " + str(message) + "; last progress: " + feedback.texts[-1])
    check(message is not None and "interrupted (SIGTERM)" in message, "the CLI was stopped by SIGTERM while writing")
    check(tree(out) == before, "the earlier build's folder is exactly as it was ({} files)".format(len(before)))
    check(sorted(os.listdir(os.path.dirname(out))) == ["out"], "no staging folder left beside it: " + str(os.listdir(os.path.dirname(out))))

    # As the algorithm dialog runs it: in a task on a worker thread, results loaded on the main
    # thread, Cancel pressed on the main thread while the CLI runs.
    def run_in_task(params, cancel_after_first_report=False, seconds=120):
        context = QgsProcessingContext()
        context.setProject(QgsProject.instance())
        feedback = Feedback()
        alg = registry.createAlgorithmById("cptsmap:build")
        task = QgsProcessingAlgRunnerTask(alg, params, context, feedback)
        outcome = {}
        task.executed.connect(lambda ok, results: outcome.update(ok=ok, results=results))
        QgsApplication.taskManager().addTask(task)
        deadline = time.monotonic() + seconds
        while "ok" not in outcome and time.monotonic() < deadline:
            app.processEvents()
            if cancel_after_first_report and feedback.texts and not feedback.isCanceled():
                feedback.cancel()  # the dialog's Cancel button
            time.sleep(0.005)
        if outcome.get("ok"):
            handleAlgorithmResults(alg, context, feedback)
        return outcome, feedback

    section("Build in a background task, as the dialog runs it")
    task_out = os.path.join(work, "task", "out")
    outcome, feedback = run_in_task({"COMMUNES": communes_shp, "DEFINITIONS": definitions, "OUTPUT_FOLDER": task_out})
    check(outcome.get("ok") is True, "the task succeeds: " + str(outcome) + " " + str(feedback.errors))
    task_territories = project_layer(outcome.get("results", {}).get("TERRITORIES"))
    check(task_territories is not None and task_territories.featureCount() == 4
          and isinstance(task_territories.renderer(), QgsCategorizedSymbolRenderer), "its territories loaded on the main thread, styled")
    check(any(t.startswith("computing: dissolving") for t in feedback.texts), "progress reported from the worker thread")

    section("Cancel a background task from the main thread")
    parent = os.path.join(work, "cancel-task")
    os.makedirs(parent)
    outcome, feedback = run_in_task({"COMMUNES": communes_shp, "DEFINITIONS": definitions, "FORMATS": [0, 1, 2, 3], "MAP": True,
                                     "SHEETS": True, "OUTPUT_FOLDER": os.path.join(parent, "out")}, cancel_after_first_report=True)
    print("  {}; {}".format(outcome.get("ok"), feedback.infos[-1:] if feedback.infos else None))
    check(outcome.get("ok") is False, "the task fails when canceled")
    check(any("interrupted (SIGTERM)" in i for i in feedback.infos), "the CLI was stopped by SIGTERM: " + str(feedback.infos[-2:]))
    check(os.listdir(parent) == [], "nothing in the output folder's parent: " + str(os.listdir(parent)))

    # Screenshots for the README (not part of the checks but for the rendering being non-blank).
    section("render the result")
    # The layers of the first build, top to bottom.
    layers = [l for l in (overlaps_layer, gaps_layer, territories, communes_layer, study_area_layer) if l is not None]
    settings = QgsMapSettings()
    settings.setLayers(layers)
    settings.setDestinationCrs(territories.crs())
    extent = QgsRectangle(territories.extent())
    extent.combineExtentWith(study_area_layer.extent())
    extent.scale(1.04)
    settings.setExtent(extent)
    settings.setOutputSize(QSize(1000, int(1000 * extent.height() / extent.width())))
    settings.setBackgroundColor(QColor("white"))
    settings.setFlag(QgsMapSettings.Antialiasing, True)
    settings.setFlag(QgsMapSettings.DrawLabeling, True)
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    image = job.renderedImage()
    # Each territory's category colour, as drawn over white (symbol opacity), fills part of the map.
    pixels = [QColor(image.pixel(x, y)).getRgb()[:3] for x in range(0, image.width(), 3) for y in range(0, image.height(), 3)]
    for category in territories.renderer().categories():
        symbol = category.symbol()
        c, alpha = symbol.color(), symbol.opacity() * symbol.color().alphaF()
        want = [round(v * alpha + 255 * (1 - alpha)) for v in (c.red(), c.green(), c.blue())]
        share = sum(1 for p in pixels if max(abs(p[0] - want[0]), abs(p[1] - want[1]), abs(p[2] - want[2])) <= 8) / len(pixels)
        check(share > 0.002, "territory {} drawn in its colour {} ({:.1%} of the map)".format(category.value(), c.name(), share))
    if args.screenshots:
        os.makedirs(args.screenshots, exist_ok=True)
        image.save(os.path.join(args.screenshots, "qgis-result.png"))
        from processing.gui.AlgorithmDialog import AlgorithmDialog

        dialog = AlgorithmDialog(registry.createAlgorithmById("cptsmap:build"))
        dialog.setParameters({"COMMUNES": communes_shp, "DEFINITIONS": definitions, "FORMATS": [0], "MAP": True, "OUTPUT_FOLDER": out})
        dialog.resize(900, 760)
        dialog.show()
        app.processEvents()
        dialog.grab().save(os.path.join(args.screenshots, "qgis-dialog.png"))
        dialog.close()
except Exception:  # an unexpected error is a failure, with its traceback
    traceback.print_exc()
    failures.append("unexpected exception")

QgsProject.instance().clear()
check(qgis.utils.unloadPlugin("cptsmap") and registry.providerById("cptsmap") is None, "the plugin unloads and its provider goes")
print("qgis plugin test: {:.1f} s, {} failure(s)".format(time.monotonic() - started, len(failures)), flush=True)
for f in failures:
    print("FAILED: " + f, file=sys.stderr)
app.exitQgis()
# Not sys.exit: Python's finalisation would then destroy wrappers of Qt objects that exitQgis has
# already freed (a segfault in the interpreter's teardown, after every check has run).
sys.stdout.flush()
sys.stderr.flush()
os._exit(1 if failures else 0)
