// libFuzzer target: the resolver, on definitions files resolved against a small commune layer built
// in memory (homonyms, accents, EPCI, two départements), and the input as a single expression too.
// Any input must resolve or throw cptsmap::Error. Run by scripts/fuzz (tests/fuzz/corpus/resolver).
#include "cptsmap/definitions/definitions_file.hpp"
#include "cptsmap/definitions/expr_parser.hpp"
#include "cptsmap/error.hpp"
#include "cptsmap/resolve/resolver.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

namespace {

const cptsmap::CommuneLayer& layer()
{
    static cptsmap::GeosContext geos;
    static const cptsmap::CommuneLayer l = [] {
        cptsmap::CommuneLayer out;
        out.source = "fuzz";
        struct Row {
            const char *insee, *name, *dep, *epci;
        };
        const Row rows[] = {{"21001", "Agencourt", "21", "242100410"},   {"21002", "Agey", "21", "242100410"},
                            {"21231", "Dijon", "21", "242100410"},       {"21540", "Saint-Julien", "21", "242100410"},
                            {"52450", "Saint-Julien", "52", "200000002"}, {"21263", "Fénay", "21", "242100410"},
                            {"21003", "Asnières-lès-Dijon", "21", "NC"},  {"52001", "L'Œuf", "52", "200000002"},
                            {"2A004", "Ajaccio", "2A", ""}};
        for (const Row& r : rows) {
            cptsmap::Commune c;
            c.insee = r.insee;
            c.name = r.name;
            c.departement = r.dep;
            c.epci = r.epci;
            c.population = 100;
            c.geometry = geos.empty_polygon();
            out.add(std::move(c));
        }
        out.add_epci({"242100410", "Dijon Métropole", "METRO"});
        out.add_epci({"200000002", "CC du Val d'Essai", "CC"});
        return out;
    }();
    return l;
}

bool sorted_unique(const cptsmap::CommuneSet& s)
{
    return std::adjacent_find(s.begin(), s.end(), [](auto a, auto b) { return a >= b; }) == s.end();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        cptsmap::Resolver resolver(layer());
        const cptsmap::Resolution r = resolver.resolve(cptsmap::parse_definitions(text, "fuzz.toml"));
        for (const auto& t : r.territories)
            if (!sorted_unique(t.communes) || (!t.communes.empty() && t.communes.back() >= layer().size())) __builtin_trap();
    } catch (const cptsmap::Error&) {
    }
    try {
        cptsmap::Resolver resolver(layer());
        const cptsmap::CommuneSet s = resolver.resolve_expression(*cptsmap::parse_expression(text));
        if (!sorted_unique(s)) __builtin_trap();
    } catch (const cptsmap::Error&) {
    }
    return 0;
}
