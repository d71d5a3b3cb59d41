#include "cptsmap/layer/admin_express_schema.hpp"

#include "cptsmap/error.hpp"

#include <ogr_feature.h>

namespace cptsmap {

const char* to_string(SchemaEdition e)
{
    return e == SchemaEdition::V4 ? "4-0" : "3-x";
}

const LayerSchema& commune_schema()
{
    static const LayerSchema s{"COMMUNE",
                               "commune",
                               {{"INSEE_COM", "code_insee", true},
                                {"NOM", "nom_officiel", true},
                                {"POPULATION", "population", true},
                                {"INSEE_DEP", "code_insee_du_departement", false},
                                {"SIREN_EPCI", "codes_siren_des_epci", false},
                                {"INSEE_REG", "code_insee_de_la_region", false}}};
    return s;
}

const LayerSchema& epci_schema()
{
    static const LayerSchema s{"EPCI", "epci", {{"CODE_SIREN", "code_siren", true}, {"NOM", "nom_officiel", true}, {"NATURE", "nature", false}}};
    return s;
}

const LayerSchema& arrondissement_schema()
{
    static const LayerSchema s{"ARRONDISSEMENT_MUNICIPAL",
                               "arrondissement_municipal",
                               {{"INSEE_ARM", "code_insee", true},
                                {"INSEE_COM", "code_insee_de_la_commune_de_rattach", true},
                                {"NOM", "nom_officiel", true},
                                {"POPULATION", "population", true}}};
    return s;
}

SchemaMatch match_schema(const LayerSchema& schema, const OGRFeatureDefn& defn, const std::string& where)
{
    SchemaMatch m;
    // The edition of the first (code) field decides; a layer with the 3-x code field is 3-x even
    // if it also has 4-0 names (GetFieldIndex ignores case, as the shapefile driver does).
    const SchemaField& key = schema.fields.front();
    m.edition = defn.GetFieldIndex(key.v3) < 0 && defn.GetFieldIndex(key.v4) >= 0 ? SchemaEdition::V4 : SchemaEdition::V3;
    std::string missing;
    for (const SchemaField& f : schema.fields) {
        const char* first = m.edition == SchemaEdition::V4 ? f.v4 : f.v3;
        const char* second = m.edition == SchemaEdition::V4 ? f.v3 : f.v4;
        int i = defn.GetFieldIndex(first);
        if (i < 0) i = defn.GetFieldIndex(second);
        if (i < 0 && f.required) missing += std::string(missing.empty() ? "" : ", ") + f.v3 + " (3-x) or " + f.v4 + " (4-0)";
        m.index.push_back(i);
    }
    if (!missing.empty()) {
        std::string present;
        for (int i = 0; i < defn.GetFieldCount(); ++i) present += std::string(i ? ", " : "") + defn.GetFieldDefn(i)->GetNameRef();
        std::string wanted;
        for (const SchemaField& f : schema.fields) wanted += std::string(wanted.empty() ? "" : ", ") + f.v3;
        throw InputError("field " + missing + " missing in " + where + " (fields: " + present + "); cptsmap reads the ADMIN EXPRESS " +
                         schema.layer_v3 + " layer of edition 3-x (" + wanted + ") or 4-0 (its lower-case names)");
    }
    return m;
}

std::string first_siren(const std::string& field)
{
    const std::size_t slash = field.find('/');
    std::string s = slash == std::string::npos ? field : field.substr(0, slash);
    const auto space = [](char c) { return c == ' ' || c == '\t'; };
    while (!s.empty() && space(s.back())) s.pop_back();
    std::size_t b = 0;
    while (b < s.size() && space(s[b])) ++b;
    return s.substr(b);
}

} // namespace cptsmap
