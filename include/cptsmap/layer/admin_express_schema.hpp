#pragma once
// The two schemas IGN has shipped ADMIN EXPRESS in, and which one a layer follows.
//
// Editions 3-x (shapefiles, upper-case names: COMMUNE with INSEE_COM, NOM, POPULATION, INSEE_DEP,
// SIREN_EPCI; EPCI with CODE_SIREN, NOM, NATURE; ARRONDISSEMENT_MUNICIPAL with INSEE_ARM, INSEE_COM)
// and edition 4-0 (GeoPackage since 2025, GeoParquet from 2026; the BD TOPO names in lower case:
// commune with code_insee, nom_officiel, population, code_insee_du_departement,
// codes_siren_des_epci; epci with code_siren, nom_officiel, nature; arrondissement_municipal with
// code_insee, code_insee_de_la_commune_de_rattach). A layer is recognised by its fields, never by an
// option: the edition of the code field decides, and each other field is looked up in that
// edition's spelling first, then in the other's.
#include <string>
#include <vector>

class OGRFeatureDefn;

namespace cptsmap {

enum class SchemaEdition { V3, V4 };

// "3-x" or "4-0".
const char* to_string(SchemaEdition e);

// One field a reader needs, as each edition spells it.
struct SchemaField {
    const char* v3;
    const char* v4;
    bool required;
};

// The fields a reader wants from one kind of layer, in the reader's own order.
struct LayerSchema {
    const char* layer_v3; // "COMMUNE"
    const char* layer_v4; // "commune"
    std::vector<SchemaField> fields;
};

// COMMUNE: code, name, population, département, EPCI, région (the reader's order).
const LayerSchema& commune_schema();
// EPCI: SIREN, name, nature.
const LayerSchema& epci_schema();
// ARRONDISSEMENT_MUNICIPAL: code, city, name, population.
const LayerSchema& arrondissement_schema();

// Where each of a schema's fields is in a layer, and the edition that told.
struct SchemaMatch {
    SchemaEdition edition = SchemaEdition::V3;
    std::vector<int> index; // one per LayerSchema::fields entry; -1 when absent (optional fields only)
};

// Matches `schema` against a layer's fields. Throws InputError naming `where`, the missing fields
// in both spellings, and the fields the layer has, when a required field is in neither.
SchemaMatch match_schema(const LayerSchema& schema, const OGRFeatureDefn& defn, const std::string& where);

// The first SIREN of an EPCI field, trimmed: 4-0's codes_siren_des_epci (and some 3-x deliveries)
// may list several EPCI separated by '/' (the Métropole du Grand Paris and a territory); a commune
// is counted in the first one listed.
std::string first_siren(const std::string& field);

} // namespace cptsmap
