#include "cptsmap/definitions/membership_table.hpp"

#include "cptsmap/error.hpp"
#include "cptsmap/io/gdal_support.hpp"
#include "cptsmap/names/utf8.hpp"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <tuple>

namespace cptsmap {

namespace {

std::string trim(std::string s)
{
    const auto not_space = [](unsigned char c) { return !std::isspace(c); };
    s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
    s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
    return s;
}

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

// Field index by name, case-insensitively; -1 if absent.
int field_index(OGRFeatureDefn* defn, const std::string& name)
{
    for (int i = 0; i < defn->GetFieldCount(); ++i)
        if (lower(defn->GetFieldDefn(i)->GetNameRef()) == lower(name)) return i;
    return -1;
}

std::string column_list(OGRFeatureDefn* defn)
{
    std::string out;
    for (int i = 0; i < defn->GetFieldCount(); ++i) out += (i ? ", " : "") + std::string(defn->GetFieldDefn(i)->GetNameRef());
    return out;
}

// A cell as text. Spreadsheets store INSEE codes as numbers and drop the leading zero (1053 for
// 01053): numbers of up to 5 digits are padded back to 5.
std::string cell(OGRFeature& f, int field)
{
    if (field < 0 || !f.IsFieldSetAndNotNull(field)) return "";
    const OGRFieldType type = f.GetFieldDefnRef(field)->GetType();
    if (type == OFTInteger || type == OFTInteger64 || type == OFTReal) {
        const double v = f.GetFieldAsDouble(field);
        if (v >= 0 && v < 100000 && v == static_cast<double>(static_cast<long long>(v))) {
            char buf[16];
            std::snprintf(buf, sizeof buf, "%05lld", static_cast<long long>(v));
            return buf;
        }
    }
    return trim(f.GetFieldAsString(field));
}

// A table in another encoding (a CSV saved as Latin-1 or Windows-1252) is refused at its first
// cell that is not UTF-8, rather than let its bytes into names, messages and outputs.
void require_utf8(const std::string& text, const std::string& path, int row, int field)
{
    const std::size_t bad = invalid_utf8_offset(text);
    if (bad == std::string_view::npos) return;
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned>(static_cast<unsigned char>(text[bad])));
    throw DefinitionError(SourcePos{path, row, field + 1}.str() + ": the membership table is not UTF-8 (byte " + hex +
                          "); save it as UTF-8 (in a spreadsheet: Save as CSV UTF-8)");
}

} // namespace

Definitions load_membership_table(const MembershipTableOptions& options)
{
    ensure_gdal_registered();
    GdalErrorCapture capture;
    const std::string& path = options.path;
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    if (!ds || ds->GetLayerCount() < 1) {
        throw InputError("cannot read the membership table " + path +
                         (capture.failed() ? " (GDAL: " + capture.last_failure() + ")" : std::string()) +
                         "; pass a CSV, XLSX or ODS file with one row per territory and commune");
    }
    OGRLayer* layer = options.layer.empty() ? ds->GetLayer(0) : ds->GetLayerByName(options.layer.c_str());
    if (layer == nullptr) {
        std::string names;
        for (int i = 0; i < ds->GetLayerCount(); ++i) names += (i ? ", " : "") + std::string(ds->GetLayer(i)->GetName());
        throw InputError("membership table " + path + " has no sheet " + options.layer + " (it has: " + names + ")");
    }
    OGRFeatureDefn* defn = layer->GetLayerDefn();
    const int territory_field = field_index(defn, options.territory_column);
    const int commune_field = field_index(defn, options.commune_column);
    const int name_field = field_index(defn, options.name_column);
    const int share_field = field_index(defn, options.share_column);
    for (const auto& [field, option, column] : {std::tuple{territory_field, "--territory-col", options.territory_column},
                                                 std::tuple{commune_field, "--commune-col", options.commune_column}}) {
        if (field < 0) {
            throw InputError("membership table " + path + " has no column " + column + " (it has: " + column_list(defn) +
                             "); name the right one with " + option);
        }
    }

    Definitions defs;
    defs.file = path;
    std::map<std::string, std::size_t> index; // territory id -> position in defs.territories
    std::vector<std::vector<Arg>> shared_rows;  // per territory: communes claimed as a share, with
    std::vector<std::vector<Arg>> share_labels; // the share's label
    int row = 1;                              // the header is row 1
    for (auto& f : *layer) {
        ++row;
        const std::string territory = cell(*f, territory_field);
        const std::string commune = cell(*f, commune_field);
        if (territory.empty() && commune.empty()) continue; // blank line
        for (const int field : {territory_field, commune_field, name_field, share_field})
            if (field >= 0) require_utf8(cell(*f, field), path, row, field);
        SourcePos pos{path, row, (territory.empty() ? territory_field : commune_field) + 1};
        if (territory.empty() || commune.empty()) {
            throw DefinitionError(pos.str() + ": row " + std::to_string(row) + " of " + path + " has " +
                                  (territory.empty() ? "no territory (column " + options.territory_column + ")"
                                                     : "no commune (column " + options.commune_column + ")") +
                                  "; fill it in or delete the row");
        }
        auto [it, inserted] = index.emplace(territory, defs.territories.size());
        if (inserted) {
            TerritoryDef t;
            t.id = territory;
            t.name = name_field >= 0 && !cell(*f, name_field).empty() ? cell(*f, name_field) : territory;
            t.pos = SourcePos{path, row, territory_field + 1};
            t.members = std::make_unique<Expr>();
            t.members->kind = Expr::Kind::Call;
            t.members->function = "commune";
            t.members->pos = t.pos;
            defs.territories.push_back(std::move(t));
            shared_rows.emplace_back();
            share_labels.emplace_back();
        }
        const std::string share = share_field >= 0 ? cell(*f, share_field) : std::string();
        if (share.empty()) {
            defs.territories[it->second].members->args.push_back(Arg{commune, pos});
        } else {
            shared_rows[it->second].push_back(Arg{commune, pos});
            share_labels[it->second].push_back(Arg{share, SourcePos{path, row, share_field + 1}});
        }
    }
    // Each shared row its own commune(..., share = "label"), joined to the whole rows by unions.
    for (std::size_t t = 0; t < defs.territories.size(); ++t) {
        ExprPtr& members = defs.territories[t].members;
        for (std::size_t k = 0; k < shared_rows[t].size(); ++k) {
            auto call = std::make_unique<Expr>();
            call->kind = Expr::Kind::Call;
            call->function = "commune";
            call->pos = shared_rows[t][k].pos;
            call->args.push_back(shared_rows[t][k]);
            call->share = share_labels[t][k];
            if (members->args.empty() && members->kind == Expr::Kind::Call && !members->share) {
                members = std::move(call); // no whole row: the first shared row is the start
                continue;
            }
            auto both = std::make_unique<Expr>();
            both->kind = Expr::Kind::Union;
            both->pos = call->pos;
            both->left = std::move(members);
            both->right = std::move(call);
            members = std::move(both);
        }
    }
    if (defs.territories.empty()) {
        throw DefinitionError("membership table " + path + " has no rows; expected one row per territory and commune, with columns " +
                              options.territory_column + " and " + options.commune_column);
    }
    return defs;
}

} // namespace cptsmap
