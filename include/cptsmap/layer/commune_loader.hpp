#pragma once
// Reads a commune layer (IGN ADMIN EXPRESS COMMUNE, or any vector data set GDAL opens with the same
// fields) into a CommuneLayer, reprojected to the working CRS, with invalid rings repaired.
#include "cptsmap/io/geos_context.hpp"
#include "cptsmap/layer/commune_layer.hpp"

#include <string>
#include <vector>

namespace cptsmap {

struct LoadOptions {
    // A COMMUNE.shp, a GeoPackage/GeoJSON/... file, or a folder (an ADMIN EXPRESS delivery: the
    // COMMUNE.shp inside is found, however deep).
    std::string path;
    // More COMMUNE layers (the overseas départements' deliveries beside the mainland's), each read in
    // its own CRS; a folder in `path` or here may also hold several. DEFAULT: none.
    std::vector<std::string> more_paths;
    // Layer to read in a multi-layer data set. DEFAULT: the only layer, else the one named COMMUNE.
    std::string layer;
    // CRS in which areas are computed and geometry is assembled, for every delivery. DEFAULT: empty,
    // the CRS IGN delivers each territory in: Lambert-93 (EPSG:2154) for the mainland, UTM 20N
    // (EPSG:5490) for Guadeloupe and Martinique, 22N (EPSG:2972) Guyane, 40S (EPSG:2975) La Réunion,
    // 38S (EPSG:4471) Mayotte.
    std::string work_crs;
    // CRS to assume when the input has none (a shapefile without .prj). DEFAULT: none, an error.
    std::string assume_crs;
    // Optional EPCI layer for EPCI names. DEFAULT: the EPCI layer of the same data set, or EPCI.shp
    // beside COMMUNE.shp; without one, EPCI are known by SIREN only.
    std::string epci_path;
    // Paris, Lyon and Marseille's arrondissements municipaux (ADMIN EXPRESS ARRONDISSEMENT_MUNICIPAL),
    // which then replace the three cities in the layer: CPTS drawn by arrondissement are exact,
    // and commune("Marseille") selects its 16 arrondissements. DEFAULT: the arrondissement layer of
    // the same data set, or ARRONDISSEMENT_MUNICIPAL.shp beside COMMUNE.shp; without one, the
    // cities stay whole.
    std::string arrondissements_path;
    // Repair invalid geometries with GEOS make-valid (and say so in a warning). DEFAULT: true;
    // `cptsmap check` turns it off to report the invalid rings as they are in the file.
    bool repair = true;
    // Threads reading the features (a shapefile is read in as many contiguous ranges). DEFAULT: 0,
    // one per hardware core; other formats are read on one thread.
    unsigned threads = 0;
};

// Throws InputError with the file, the feature and what to do when the layer cannot be used.
CommuneLayer load_communes(const LoadOptions& options, const GeosContext& geos);

} // namespace cptsmap
