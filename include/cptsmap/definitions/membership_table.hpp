#pragma once
// Membership as a table, the form ARS spreadsheets take: one row per (territory, commune), in a CSV
// (comma, semicolon or tab), an XLSX or an ODS file, read through GDAL. It becomes the same
// Definitions as a TOML file would, each territory the union commune("...", "...") of its rows, so
// resolution, warnings and errors are the same; positions in messages are "file:row:column".
#include "cptsmap/definitions/definitions_file.hpp"

#include <string>

namespace cptsmap {

struct MembershipTableOptions {
    std::string path;
    std::string territory_column = "territory_id"; // territory id (or name) of the row
    std::string commune_column = "insee";          // commune: INSEE code or name
    std::string name_column = "territory_name";    // territory display name; optional column
    // The share of the commune the row claims (a district, IRIS...: "nord"), when the commune is
    // split between territories by declaration; optional column, empty cells for whole communes.
    std::string share_column = "share";
    std::string layer;                             // sheet or layer; default: the first
};

// Throws InputError when the file cannot be read or a column is missing (naming the columns it has),
// DefinitionError when a row has an empty territory or commune.
Definitions load_membership_table(const MembershipTableOptions& options);

} // namespace cptsmap
