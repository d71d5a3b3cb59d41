#pragma once
// The communes of a study: a dense array built in one pass over the input features, with lookups by
// INSEE code, by normalised name and by EPCI. Membership questions are answered with indices into
// this array; geometry is kept alongside in Lambert-93 (or the working CRS chosen at load time).
#include "cptsmap/layer/commune_geometry.hpp"
#include "cptsmap/layer/layer_edition.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace cptsmap {

using CommuneIndex = std::uint32_t;
// A set of communes: indices into the layer, sorted, unique.
using CommuneSet = std::vector<CommuneIndex>;

struct Commune {
    std::string insee;       // INSEE_COM, e.g. "21231"; a string ("2A004")
    std::string name;        // NOM, as written by IGN (UTF-8)
    std::int64_t population = 0;
    std::string departement; // INSEE_DEP
    std::string epci;        // SIREN_EPCI ("NC" or "" when in no EPCI)
    CommuneGeometry geometry; // (Multi)Polygon in its delivery's working CRS (GEOS on demand); empty when the input had none
    double area_m2 = 0.0;    // planar area in that CRS
    std::string region;      // INSEE_REG ("27"); "" when the layer has no région field
    std::uint16_t delivery = 0; // index into CommuneLayer::deliveries
};

// One COMMUNE layer of the build, read in its own working CRS: France entière is the mainland
// (Lambert-93) and each overseas département (its UTM zone), side by side in one CommuneLayer.
struct Delivery {
    std::string source;   // where it was read from
    std::string crs;      // its working CRS, "EPSG:5490"
    std::string crs_name; // "RGAF09 / UTM zone 20N"
    std::string name;     // the département of its communes when it holds one ("972"), else the CRS code ("2154")
};

struct Epci {
    std::string siren;
    std::string name;   // from the EPCI layer; the SIREN when no EPCI layer was found
    std::string nature; // CC, CA, CU, METRO, MET69, or ""
};

class CommuneLayer {
public:
    CommuneLayer() = default;

    const std::vector<Commune>& communes() const noexcept { return communes_; }
    const Commune& operator[](CommuneIndex i) const { return communes_.at(i); }
    std::size_t size() const noexcept { return communes_.size(); }

    // Adds a commune; throws InputError on a duplicate INSEE code. Returns its index.
    CommuneIndex add(Commune c);
    // The same with normalize_name(c.name) computed by the caller (the loader does it on its
    // reading threads).
    CommuneIndex add(Commune c, std::string name_key);
    void reserve(std::size_t communes);
    void add_epci(Epci e);
    // Replaces each commune whose code is a key of `parts` by those communes, in its place (the
    // indices after it shift): Paris, Lyon and Marseille by their arrondissements municipaux.
    void replace_communes(std::map<std::string, std::vector<Commune>> parts);
    // Appends the communes, EPCI and warnings of another delivery (read on its own, in its own
    // CRS) as delivery number deliveries.size(); throws InputError on an INSEE code both hold.
    void append_delivery(CommuneLayer&& other);
    // Replaces commune i's boundary (a simplified one: --simplify); its area_m2 stays as read.
    void set_geometry(CommuneIndex i, CommuneGeometry g) { communes_.at(i).geometry = std::move(g); }
    // Replaces commune i's boundary and its area (a repaired one: --clean).
    void set_geometry(CommuneIndex i, CommuneGeometry g, double area_m2)
    {
        set_geometry(i, std::move(g));
        communes_.at(i).area_m2 = area_m2;
    }
    // Sets each commune's population to what `f` gives, where it gives one (--population).
    void set_populations(const std::function<std::optional<std::int64_t>(const Commune&)>& f);

    std::optional<CommuneIndex> find_code(const std::string& insee) const;
    // Indices of the communes whose normalised name equals normalize_name(name); sorted.
    std::vector<CommuneIndex> find_name(const std::string& name) const;
    std::vector<CommuneIndex> in_epci(const std::string& siren) const;
    std::vector<CommuneIndex> in_departement(const std::string& dep) const;

    const std::map<std::string, Epci>& epcis() const noexcept { return epcis_; }
    const Epci* find_epci(const std::string& siren) const;
    // Distinct normalised commune names with their communes (for suggestions).
    const std::unordered_map<std::string, std::vector<CommuneIndex>>& names() const noexcept { return by_name_; }
    std::vector<std::string> departements() const;

    std::string source;        // where the layer was read from, for messages
    std::string crs;           // the working CRS as given ("EPSG:2154"), for writers: the first delivery's
    std::string crs_name;      // its name ("RGF93 v1 / Lambert-93"), for messages
    // The COMMUNE layers read, the one with the most communes first: one for a single layer.
    std::vector<Delivery> deliveries;
    LayerEdition edition;      // the schema, format and precision of what was read
    bool has_epci_field = true;
    // The arrondissements municipaux that replaced Paris, Lyon and/or Marseille: where from, how
    // many, the cities' names; count 0 when the cities are whole.
    struct Arrondissements {
        std::string source;
        std::size_t count = 0;
        std::vector<std::string> cities;
    } arrondissements;
    // The légal population table that replaced the layer's POPULATION (--population); none by default.
    struct PopulationSource {
        std::string source;
        std::optional<int> year;
    };
    std::optional<PopulationSource> population;
    // What --simplify did to the boundaries (none by default): the tolerance used, the share of
    // vertices asked for, the vertices before and after.
    struct Simplification {
        double tolerance_m = 0.0;
        std::optional<double> keep_pct;
        std::size_t vertices_before = 0, vertices_after = 0, restored = 0;
    };
    std::optional<Simplification> simplified;
    std::vector<std::string> warnings; // problems found while loading (repairs, missing values)

private:
    std::vector<Commune> communes_;
    std::unordered_map<std::string, CommuneIndex> by_code_;
    std::unordered_map<std::string, std::vector<CommuneIndex>> by_name_;
    std::map<std::string, std::vector<CommuneIndex>> by_epci_;
    std::map<std::string, std::vector<CommuneIndex>> by_dep_;
    std::map<std::string, Epci> epcis_;
};

} // namespace cptsmap
