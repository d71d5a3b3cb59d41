#pragma once
// One description of each output layer — its name, its fields in order, its features in order and
// their values — read by every writer: the RFC 7946 GeoJSON layers (export/layers.hpp), the
// format-neutral tables of GeoPackage, FlatGeobuf, Shapefile, PostGIS and the maps
// (export/layer_table.hpp), and the command line (`--layers`, the outputs line).
#include "cptsmap/export/geojson_writer.hpp"
#include "cptsmap/result/build_result.hpp"

#include <string>
#include <vector>

namespace cptsmap {

enum class OutputLayer { Territories, Communes, Gaps, Overlaps, StudyArea };

struct OutputLayerSchema {
    OutputLayer layer;
    std::string name; // "territories", ...
    std::vector<FieldSpec> fields;
    bool geojson;     // written as <name>.geojson (the study area is not: report.json has its figures)
};

// Every output layer, in the order they are written.
const std::vector<OutputLayerSchema>& output_layers();
const OutputLayerSchema& schema_of(OutputLayer layer);

// The features of a layer in the order they are written: territories as defined, communes by INSEE
// code, zones in the assembly's order; the study area is one feature.
std::size_t feature_count(const BuildResult& r, OutputLayer layer);
// The communes layer's communes (those reported), by INSEE code.
CommuneSet communes_in_order(const BuildResult& r);

// The values of feature k (parallel to the layer's fields). For the communes layer, k indexes
// communes_in_order(); for the study area, `study_area_m2` is the area of its outline.
std::vector<FieldValue> territory_values(const BuildResult& r, std::size_t t);
std::vector<FieldValue> commune_values(const BuildResult& r, CommuneIndex i);
std::vector<FieldValue> gap_values(const BuildResult& r, std::size_t k);
std::vector<FieldValue> overlap_values(const BuildResult& r, std::size_t k);
std::vector<FieldValue> study_area_values(const BuildResult& r, double study_area_m2);

} // namespace cptsmap
