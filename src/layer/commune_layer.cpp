#include "cptsmap/layer/commune_layer.hpp"

#include "cptsmap/error.hpp"
#include "cptsmap/names/normalize.hpp"

namespace cptsmap {

CommuneIndex CommuneLayer::add(Commune c)
{
    std::string key = normalize_name(c.name);
    return add(std::move(c), std::move(key));
}

void CommuneLayer::reserve(std::size_t n)
{
    communes_.reserve(n);
    by_code_.reserve(n);
}

CommuneIndex CommuneLayer::add(Commune c, std::string name_key)
{
    const auto index = static_cast<CommuneIndex>(communes_.size());
    auto [it, inserted] = by_code_.emplace(c.insee, index);
    if (!inserted) {
        const Commune& first = communes_[it->second];
        throw InputError("duplicate INSEE code " + c.insee + " in " + source + " (\"" + first.name + "\" and \"" +
                         c.name + "\"): each commune must appear once; fix the layer or dissolve the duplicates");
    }
    by_name_[std::move(name_key)].push_back(index);
    if (!c.epci.empty() && c.epci != "NC") by_epci_[c.epci].push_back(index);
    by_dep_[c.departement].push_back(index);
    communes_.push_back(std::move(c));
    return index;
}

void CommuneLayer::replace_communes(std::map<std::string, std::vector<Commune>> parts)
{
    std::vector<Commune> old = std::move(communes_);
    communes_.clear();
    by_code_.clear();
    by_name_.clear();
    by_epci_.clear();
    by_dep_.clear();
    reserve(old.size());
    for (Commune& c : old) {
        const auto it = parts.find(c.insee);
        if (it == parts.end()) {
            add(std::move(c));
            continue;
        }
        for (Commune& part : it->second) add(std::move(part));
    }
}

void CommuneLayer::append_delivery(CommuneLayer&& other)
{
    const auto k = static_cast<std::uint16_t>(deliveries.size());
    const Delivery& theirs = other.deliveries.empty() ? Delivery{other.source, other.crs, other.crs_name, ""} : other.deliveries.front();
    reserve(communes_.size() + other.communes_.size());
    for (Commune& c : other.communes_) {
        if (const auto it = by_code_.find(c.insee); it != by_code_.end()) {
            throw InputError("commune " + c.insee + " (" + c.name + ") is in two deliveries, " + deliveries[communes_[it->second].delivery].source +
                             " and " + theirs.source + ": two editions of the same territory? Pass each territory once with --communes");
        }
        c.delivery = k;
        add(std::move(c));
    }
    deliveries.push_back(theirs);
    for (auto& [siren, e] : other.epcis_)
        if (epcis_.count(siren) == 0) epcis_[siren] = std::move(e);
    warnings.insert(warnings.end(), other.warnings.begin(), other.warnings.end());
    has_epci_field = has_epci_field && other.has_epci_field;
    source += ", " + theirs.source;
}

void CommuneLayer::set_populations(const std::function<std::optional<std::int64_t>(const Commune&)>& f)
{
    for (Commune& c : communes_)
        if (const auto p = f(c)) c.population = *p;
}

void CommuneLayer::add_epci(Epci e)
{
    std::string key = e.siren;
    epcis_[key] = std::move(e);
}

std::optional<CommuneIndex> CommuneLayer::find_code(const std::string& insee) const
{
    auto it = by_code_.find(insee);
    if (it == by_code_.end()) return std::nullopt;
    return it->second;
}

std::vector<CommuneIndex> CommuneLayer::find_name(const std::string& name) const
{
    auto it = by_name_.find(normalize_name(name));
    if (it == by_name_.end()) return {};
    return it->second;
}

std::vector<CommuneIndex> CommuneLayer::in_epci(const std::string& siren) const
{
    auto it = by_epci_.find(siren);
    if (it == by_epci_.end()) return {};
    return it->second;
}

std::vector<CommuneIndex> CommuneLayer::in_departement(const std::string& dep) const
{
    auto it = by_dep_.find(dep);
    if (it == by_dep_.end()) return {};
    return it->second;
}

const Epci* CommuneLayer::find_epci(const std::string& siren) const
{
    auto it = epcis_.find(siren);
    return it == epcis_.end() ? nullptr : &it->second;
}

std::vector<std::string> CommuneLayer::departements() const
{
    std::vector<std::string> out;
    for (const auto& [dep, members] : by_dep_) out.push_back(dep);
    return out;
}

} // namespace cptsmap
