#pragma once
// The figures of each territory and of the study area, as CPTS announcements print them, and the
// anomalies a reviewer must see: part of the build's result (result/build_result.hpp), computed by
// sheets/territory_figures.hpp and read by report.json, the sheets and the maps.
#include "cptsmap/layer/commune_layer.hpp"
#include "cptsmap/result/funding_bands.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace cptsmap {

struct DepartementShare {
    std::string departement;
    std::size_t communes = 0;                 // of the territory, in this département
    std::int64_t population = 0;              // of those communes
    std::int64_t departement_population = 0;  // of every commune of the layer in this département
    double share_pct = 0.0;                   // population / departement_population × 100
};

struct EpciShare {
    std::string siren;
    std::string name;
    std::size_t communes = 0;      // of the territory in this EPCI
    std::size_t epci_communes = 0; // of the EPCI in the layer
    bool whole() const { return communes == epci_communes; }
};

struct Neighbour {
    std::size_t territory = 0;      // index into Resolution::territories
    double shared_border_m = 0.0;   // length of the common border (0 when they only overlap)
};

// A part of a territory in several parts other than its largest one.
struct DetachedPart {
    double area_m2 = 0.0;
    CommuneSet communes; // the territory's communes with a piece in this part
};

// A hole of the dissolved territory and the communes that fill it.
struct Enclave {
    double area_m2 = 0.0;
    CommuneSet communes;                          // communes of the layer inside the hole
    std::vector<std::vector<std::size_t>> claimed_by; // per commune, the territories claiming it
};

struct SharedCommune {
    CommuneIndex commune = 0;
    std::vector<std::size_t> others; // the other territories claiming it
};

struct TerritoryFigures {
    std::size_t communes = 0;
    std::int64_t population = 0;
    double area_m2 = 0.0;
    double density_per_km2 = 0.0;
    std::vector<DepartementShare> departements; // by code
    std::vector<EpciShare> epcis;               // most communes first, then by SIREN
    std::vector<Neighbour> neighbours;          // by territory index
    std::vector<DetachedPart> detached_parts;   // largest first
    std::vector<Enclave> enclaves;              // largest first
    std::vector<SharedCommune> shared;          // by INSEE code
    FundingBand band;
};

struct UncoveredZone {
    std::string id; // "gap-N", as in gaps.geojson
    std::size_t communes = 0;
    std::int64_t population = 0;
    double area_m2 = 0.0;
};

struct StudyAreaFigures {
    CommuneSet uncovered_ranked;          // gap communes, most inhabitants first (then by code)
    std::vector<UncoveredZone> largest_zones; // gap zones, largest area first
};

struct SheetFigures {
    std::vector<TerritoryFigures> territories; // parallel to Resolution::territories
    StudyAreaFigures study_area;
    FundingBands bands;
};

} // namespace cptsmap
