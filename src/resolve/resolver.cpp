#include "cptsmap/resolve/resolver.hpp"

#include "cptsmap/error.hpp"
#include "cptsmap/names/arrondissements.hpp"
#include "cptsmap/names/departements.hpp"
#include "cptsmap/names/normalize.hpp"
#include "cptsmap/names/suggest.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <numeric>

namespace cptsmap {

CommuneSet set_union(const CommuneSet& a, const CommuneSet& b)
{
    CommuneSet out;
    out.reserve(a.size() + b.size());
    std::set_union(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
    return out;
}

CommuneSet set_difference(const CommuneSet& a, const CommuneSet& b)
{
    CommuneSet out;
    std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
    return out;
}

CommuneSet set_intersection(const CommuneSet& a, const CommuneSet& b)
{
    CommuneSet out;
    std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
    return out;
}

namespace {

// A commune name that matched several communes, waiting for an intersection or difference to
// narrow it down to one.
struct Ambiguity {
    std::string name;
    SourcePos pos;
    CommuneSet candidates;
    std::size_t term = 0; // its TermResolution
};

struct Value {
    CommuneSet set;
    std::vector<Ambiguity> pending;
    Shares shares; // the communes of `set` claimed as a declared share only
};

// Set algebra on the shares: a commune is claimed whole when any operand that holds it claims it
// whole (union), shared when either operand shares it (intersection), as the left operand says
// (difference).
Shares union_shares(const Value& a, const Value& b, const CommuneSet& out)
{
    Shares s;
    if (a.shares.empty() && b.shares.empty()) return s; // nearly always: no share declared
    for (CommuneIndex i : out) {
        const bool in_a = std::binary_search(a.set.begin(), a.set.end(), i), in_b = std::binary_search(b.set.begin(), b.set.end(), i);
        const auto sa = a.shares.find(i), sb = b.shares.find(i);
        if ((in_a && sa == a.shares.end()) || (in_b && sb == b.shares.end())) continue;
        s[i] = sa != a.shares.end() ? sa->second : sb->second;
    }
    return s;
}

Shares intersection_shares(const Value& a, const Value& b, const CommuneSet& out)
{
    Shares s;
    if (a.shares.empty() && b.shares.empty()) return s;
    for (CommuneIndex i : out) {
        if (const auto sa = a.shares.find(i); sa != a.shares.end()) s[i] = sa->second;
        else if (const auto sb = b.shares.find(i); sb != b.shares.end()) s[i] = sb->second;
    }
    return s;
}

Shares restricted(const Shares& shares, const CommuneSet& out)
{
    Shares s;
    for (const auto& [i, label] : shares)
        if (std::binary_search(out.begin(), out.end(), i)) s[i] = label;
    return s;
}

CommuneSet sorted_unique(std::vector<CommuneIndex> v)
{
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
    return v;
}

std::string quoted(const std::string& s) { return "\"" + s + "\""; }

} // namespace

struct Resolver::Impl {
    const CommuneLayer& layer;
    const CommuneHistory* history = nullptr;
    const Definitions* defs = nullptr;
    std::vector<std::string>& warnings;
    std::vector<std::string> errors;
    std::vector<TermResolution> terms;
    std::string territory; // id of the territory being resolved, for terms

    std::map<std::string, std::size_t> territory_index;
    std::vector<int> state; // 0 not yet, 1 resolving, 2 done
    std::vector<CommuneSet> resolved;
    std::vector<Shares> resolved_shares;
    std::vector<std::string> stack;

    // A commune named by commune() in the current expression: where first, how many times, and the
    // warning that says it is listed again (one however many times, rewritten with the count).
    struct Listing {
        SourcePos first;
        std::size_t times = 1;
        std::size_t warning = 0; // index in `warnings`
        std::string says;        // its text up to the count: "f.toml:3:29: territory "x" lists commune 99001 Alpha"
    };
    std::map<CommuneIndex, Listing>* listed = nullptr; // commune() hits in the current expression
    std::string context;                                 // "territory \"x\"" for messages

    // Lazily built, sorted lists for suggestions (deterministic order).
    std::vector<std::string> commune_names;
    std::vector<std::string> epci_keys;
    std::vector<const Epci*> epci_by_key;
    std::map<std::string, std::vector<CommuneIndex>> bare_names; // without_article(name) -> communes

    Impl(const CommuneLayer& l, const CommuneHistory* h, std::vector<std::string>& w) : layer(l), history(h), warnings(w) {}

    std::size_t record(const std::string& selector, const Arg& arg, CommuneSet communes, std::string method, std::string note = "")
    {
        terms.push_back(TermResolution{territory, selector, arg.value, arg.pos, sorted_unique(std::move(communes)), std::move(method), std::move(note)});
        return terms.size() - 1;
    }

    bool alive(const std::string& code) const { return layer.find_code(code).has_value(); }

    // "21073 Bierre-lès-Semur → 21272 Le Val-Larrey (merged 2019-01-01)"
    std::string describe_mapping(const HistoryMapping& m) const
    {
        std::string to;
        for (const auto& code : m.codes) to += (to.empty() ? "" : ", ") + describe(*layer.find_code(code));
        return m.old_code + " " + m.old_name + " → " + to + " (" + m.describe() + ")";
    }

    // The département most of the current expression's communes are in ("" if none yet).
    std::string preferred_departement() const
    {
        if (listed == nullptr) return "";
        std::map<std::string, int> votes;
        for (const auto& [i, pos] : *listed) ++votes[layer[i].departement];
        std::string best;
        int most = 0;
        for (const auto& [dep, n] : votes)
            if (n > most) { best = dep; most = n; }
        return best;
    }

    std::string describe(CommuneIndex i) const
    {
        const Commune& c = layer[i];
        return c.insee + " " + c.name;
    }

    void error(const SourcePos& pos, const std::string& message) { errors.push_back(pos.str() + ": " + message); }

    // --- selectors -------------------------------------------------------------------------

    std::string commune_suggestions(const std::string& query)
    {
        if (commune_names.empty()) {
            for (const auto& [name, members] : layer.names()) commune_names.push_back(name);
            std::sort(commune_names.begin(), commune_names.end());
        }
        // The closest names by edit distance; among them, communes of the département the rest of the
        // expression is in come first.
        std::vector<CommuneIndex> near;
        for (std::size_t k : closest(normalize_name(query), commune_names, 10))
            for (CommuneIndex i : layer.names().at(commune_names[k])) near.push_back(i);
        const std::string dep = preferred_departement();
        std::stable_partition(near.begin(), near.end(), [&](CommuneIndex i) { return !dep.empty() && layer[i].departement == dep; });
        if (near.empty()) return "";
        std::string out = "; did you mean ";
        for (std::size_t k = 0; k < near.size() && k < 3; ++k)
            out += (k ? ", " : "") + quoted(layer[near[k]].name) + " (" + layer[near[k]].insee + ")";
        return out + "?";
    }

    void take(const std::vector<CommuneIndex>& found, const Arg& arg, Value& out)
    {
        for (CommuneIndex i : found) {
            note_listed(i, arg.pos);
            out.set.push_back(i);
        }
    }

    std::vector<CommuneIndex> indices(const std::vector<std::string>& codes) const
    {
        std::vector<CommuneIndex> out;
        for (const auto& code : codes)
            if (auto i = layer.find_code(code)) out.push_back(*i);
        return out;
    }

    // Communes whose name matches once the leading article is dropped on both sides ("Rochepot" and
    // "La Rochepot").
    std::vector<CommuneIndex> find_without_article(const std::string& query)
    {
        if (bare_names.empty()) {
            for (const auto& [name, members] : layer.names()) {
                auto& v = bare_names[without_article(name)];
                v.insert(v.end(), members.begin(), members.end());
            }
            for (auto& [name, v] : bare_names) v = sorted_unique(std::move(v));
        }
        auto it = bare_names.find(without_article(normalize_name(query)));
        return it == bare_names.end() ? std::vector<CommuneIndex>{} : it->second;
    }

    // Paris, Lyon, Marseille: the city where the layer has arrondissements, and the reverse.
    bool select_city_parts(const std::string& code, const Arg& arg, Value& out)
    {
        std::vector<CommuneIndex> found = indices(arrondissement_codes(code));
        std::string method = "arrondissements";
        if (found.empty()) {
            if (auto city = city_of_arrondissement(code)) found = indices({*city});
            method = "city";
        }
        if (found.empty()) return false;
        const std::string what = method == "city" ? "its city " + describe(found.front()) + " (the layer has no arrondissements)"
                                                  : "its " + std::to_string(found.size()) + " arrondissements (the layer has no commune " + code + ")";
        warnings.push_back(arg.pos.str() + ": " + context + ": " + quoted(arg.value) + " selects " + what);
        take(found, arg, out);
        record("commune", arg, found, method);
        return true;
    }

    void select_commune(const Arg& arg, Value& out)
    {
        if (looks_like_insee_code(arg.value)) {
            std::string code = arg.value;
            for (char& c : code) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            if (auto idx = layer.find_code(code)) {
                take({*idx}, arg, out);
                record("commune", arg, {*idx}, "code");
                return;
            }
            if (select_city_parts(code, arg, out)) return;
            std::string why = " (a code that changed in a merger is not in this year's layer; pass INSEE's commune history with --cog-history, or check the code on insee.fr)";
            if (history != nullptr) {
                const auto m = history->map_code(code, [this](const std::string& c) { return alive(c); });
                if (m && !m->codes.empty()) {
                    select_history({*m}, arg, out);
                    return;
                }
                why = m ? " (in " + history->source() + " it is " + m->old_name + ", " + m->describe() + ", which leads to no commune of the layer)"
                        : " (nor in the commune history " + history->source() + "; check the code on insee.fr)";
            }
            error(arg.pos, "no commune with INSEE code " + code + " in " + layer.source + why);
            return;
        }
        auto matches = layer.find_name(arg.value);
        bool bare = false;
        if (matches.empty()) {
            matches = find_without_article(arg.value);
            bare = !matches.empty();
        }
        if (matches.empty()) {
            if (auto city = city_code_for_name(normalize_name(arg.value)); city && select_city_parts(*city, arg, out)) return;
            if (history != nullptr) {
                const auto mappings = history->map_name(arg.value, [this](const std::string& c) { return alive(c); });
                if (!mappings.empty()) {
                    select_history(mappings, arg, out);
                    return;
                }
            }
            error(arg.pos, "unknown commune " + quoted(arg.value) + commune_suggestions(arg.value));
            return;
        }
        if (matches.size() == 1) {
            take(matches, arg, out);
            record("commune", arg, matches, bare ? "name without article" : layer[matches.front()].name == arg.value ? "exact name" : "normalised name");
            return;
        }
        out.set.insert(out.set.end(), matches.begin(), matches.end());
        const std::size_t term = record("commune", arg, matches, "ambiguous name", std::to_string(matches.size()) + " communes of that name");
        out.pending.push_back(Ambiguity{arg.value, arg.pos, sorted_unique(matches), term});
    }

    // An old code or name that the history maps to today's communes.
    void select_history(const std::vector<HistoryMapping>& mappings, const Arg& arg, Value& out)
    {
        if (mappings.size() == 1) {
            const HistoryMapping& m = mappings.front();
            const auto found = indices(m.codes);
            const std::string what = looks_like_insee_code(arg.value) ? "" : quoted(arg.value) + " is ";
            warnings.push_back(arg.pos.str() + ": " + context + ": " + what + describe_mapping(m) + ", from the commune history" +
                               (m.split() ? "; check that the territory really covers all of them" : ""));
            take(found, arg, out);
            record("commune", arg, found, "history", describe_mapping(m));
            return;
        }
        // Several former communes had that name: as ambiguous as a name shared today.
        std::vector<CommuneIndex> all;
        std::string note;
        for (const auto& m : mappings) {
            for (CommuneIndex i : indices(m.codes)) all.push_back(i);
            note += (note.empty() ? "" : "; ") + describe_mapping(m);
        }
        all = sorted_unique(std::move(all));
        out.set.insert(out.set.end(), all.begin(), all.end());
        const std::size_t term = record("commune", arg, all, "history, ambiguous name", note);
        out.pending.push_back(Ambiguity{arg.value, arg.pos, all, term});
    }

    void note_listed(CommuneIndex i, const SourcePos& pos)
    {
        if (listed == nullptr) return;
        auto [it, inserted] = listed->emplace(i, Listing{pos, 1, 0, {}});
        if (inserted) return;
        Listing& l = it->second;
        const std::string first = std::to_string(l.first.line) + ":" + std::to_string(l.first.column);
        if (++l.times == 2) {
            l.warning = warnings.size();
            l.says = pos.str() + ": " + context + " lists commune " + describe(i);
            warnings.push_back(l.says + " twice (also at " + first + ")");
        } else {
            // The warning of the second listing, in its place: one line, with the count.
            warnings[l.warning] = l.says + " " + std::to_string(l.times) + " times (first at " + first + "); list it once";
        }
    }

    void select_epci(const Arg& arg, Value& out)
    {
        const Epci* found = nullptr;
        if (looks_like_siren(arg.value)) {
            found = layer.find_epci(arg.value);
            if (found == nullptr) {
                error(arg.pos, "no EPCI with SIREN " + arg.value + " among the communes of " + layer.source);
                return;
            }
        } else {
            std::vector<const Epci*> full, by_key;
            const std::string norm = normalize_name(arg.value);
            const std::string key = epci_key(arg.value);
            for (const auto& [siren, e] : layer.epcis()) {
                if (normalize_name(e.name) == norm) full.push_back(&e);
                else if (!key.empty() && epci_key(e.name) == key) by_key.push_back(&e);
            }
            const auto& hits = !full.empty() ? full : by_key;
            if (hits.size() > 1) {
                std::string list;
                for (const Epci* e : hits) list += (list.empty() ? "" : ", ") + quoted(e->name) + " (" + e->siren + ")";
                error(arg.pos, "EPCI name " + quoted(arg.value) + " matches " + std::to_string(hits.size()) + " EPCI: " + list +
                                   "; write the full name or the SIREN");
                return;
            }
            if (hits.empty()) {
                error(arg.pos, "unknown EPCI " + quoted(arg.value) + epci_suggestions(key));
                return;
            }
            found = hits.front();
        }
        const auto members = layer.in_epci(found->siren);
        if (members.empty()) warnings.push_back(arg.pos.str() + ": EPCI " + found->name + " (" + found->siren + ") has no commune in " + layer.source);
        out.set.insert(out.set.end(), members.begin(), members.end());
        record("epci", arg, members, "epci", found->name + " (" + found->siren + ")");
    }

    std::string epci_suggestions(const std::string& key)
    {
        if (epci_keys.empty()) {
            std::vector<std::pair<std::string, const Epci*>> v;
            for (const auto& [siren, e] : layer.epcis()) v.emplace_back(epci_key(e.name), &e);
            std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
            for (auto& [k, e] : v) {
                epci_keys.push_back(k);
                epci_by_key.push_back(e);
            }
        }
        auto best = closest(key, epci_keys, 3);
        // Names sharing a word with the query are useful too (informal short names: "Saulieu").
        if (best.empty()) {
            for (std::size_t i = 0; i < epci_keys.size() && best.size() < 3; ++i)
                if (!key.empty() && (" " + epci_keys[i] + " ").find(" " + key + " ") != std::string::npos) best.push_back(i);
        }
        if (best.empty()) return "";
        std::string out = "; did you mean ";
        for (std::size_t k = 0; k < best.size(); ++k)
            out += (k ? ", " : "") + quoted(epci_by_key[best[k]]->name) + " (" + epci_by_key[best[k]]->siren + ")";
        return out + "?";
    }

    // An unknown département: a code is answered with the codes the layer has, a name with the
    // closest names among the layer's départements (never one the layer does not hold).
    std::string unknown_departement(const std::string& value) const
    {
        const std::vector<std::string> have = layer.departements();
        const auto named = [](const std::string& code) {
            const std::string name = departement_name(code);
            return name.empty() ? code : code + " " + name;
        };
        const auto listing = [&] {
            std::string list;
            for (std::size_t k = 0; k < have.size() && k < 12; ++k) list += (k ? ", " : "") + named(have[k]);
            return list + (have.size() > 12 ? ", ... (" + std::to_string(have.size()) + " in all)" : "");
        };
        const bool code_like = !value.empty() && value.size() <= 3 &&
                               std::all_of(value.begin(), value.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || c == 'A' || c == 'B' || c == 'a' || c == 'b'; });
        if (code_like) return "unknown département code " + quoted(value) + "; the départements of " + layer.source + " are " + listing();
        std::vector<std::string> names;
        for (const std::string& code : have) names.push_back(normalize_name(departement_name(code)));
        const auto best = closest(normalize_name(value), names, 3);
        if (best.empty()) return "unknown département " + quoted(value) + "; the départements of " + layer.source + " are " + listing();
        std::string hint;
        for (std::size_t k = 0; k < best.size(); ++k) hint += std::string(k ? ", " : "; did you mean ") + quoted(departement_name(have[best[k]])) + " (" + have[best[k]] + ")";
        return "unknown département " + quoted(value) + hint + "?";
    }

    void select_dep(const Arg& arg, Value& out)
    {
        auto members = layer.in_departement(arg.value);
        if (members.empty()) {
            const auto code = departement_code(arg.value);
            if (!code) {
                error(arg.pos, unknown_departement(arg.value));
                return;
            }
            members = layer.in_departement(*code);
            if (members.empty()) {
                warnings.push_back(arg.pos.str() + ": département " + *code + " (" + departement_name(*code) + ") has no commune in " + layer.source);
            }
        }
        out.set.insert(out.set.end(), members.begin(), members.end());
        record("dep", arg, members, "département", members.empty() ? "" : layer[members.front()].departement + " " + departement_name(layer[members.front()].departement));
    }

    void select_territory(const Arg& arg, Value& out)
    {
        if (defs == nullptr) {
            error(arg.pos, "territory(" + quoted(arg.value) + ") can only be used in a definitions file");
            return;
        }
        auto it = territory_index.find(arg.value);
        if (it == territory_index.end()) {
            std::vector<std::string> ids;
            for (const auto& t : defs->territories) ids.push_back(t.id);
            const auto best = closest(arg.value, ids, 1);
            error(arg.pos, "unknown territory " + quoted(arg.value) + (best.empty() ? "" : "; did you mean " + quoted(ids[best.front()]) + "?"));
            return;
        }
        const std::size_t t = it->second;
        if (state[t] == 1) {
            std::string cycle;
            auto start = std::find(stack.begin(), stack.end(), arg.value);
            for (auto s = start; s != stack.end(); ++s) cycle += *s + " → ";
            error(arg.pos, "territories reference each other in a cycle: " + cycle + arg.value + "; a territory cannot contain itself");
            return;
        }
        // Bounds the recursion (each level evaluates a whole expression); real files nest two or three.
        constexpr std::size_t kMaxTerritoryNesting = 16;
        if (state[t] == 0 && stack.size() >= kMaxTerritoryNesting) {
            error(arg.pos, "territory(" + quoted(arg.value) + ") nests territory references more than " + std::to_string(kMaxTerritoryNesting) +
                               " deep; reference the territories' communes more directly");
            return;
        }
        resolve_territory(t);
        out.set.insert(out.set.end(), resolved[t].begin(), resolved[t].end());
        out.shares.insert(resolved_shares[t].begin(), resolved_shares[t].end());
        record("territory", arg, resolved[t], "territory");
    }

    // --- expressions -----------------------------------------------------------------------

    std::vector<Ambiguity> narrow(std::vector<Ambiguity> pending, const CommuneSet& scope)
    {
        std::vector<Ambiguity> out;
        for (auto& a : pending) {
            a.candidates = set_intersection(a.candidates, scope);
            TermResolution& term = terms[a.term];
            term.communes = a.candidates;
            if (a.candidates.size() > 1) {
                out.push_back(std::move(a));
                continue;
            }
            term.note = term.method + " (" + term.note + "), scoped by the expression";
            term.method = "name scoped by the expression";
        }
        return out;
    }

    Value eval(const Expr& e)
    {
        if (e.kind == Expr::Kind::Call) {
            Value v;
            if (e.function == "all") {
                v.set.resize(layer.size());
                std::iota(v.set.begin(), v.set.end(), CommuneIndex{0});
                return v;
            }
            for (const Arg& arg : e.args) {
                if (e.function == "commune") select_commune(arg, v);
                else if (e.function == "epci") select_epci(arg, v);
                else if (e.function == "dep") select_dep(arg, v);
                else if (e.function == "territory") select_territory(arg, v);
            }
            v.set = sorted_unique(std::move(v.set));
            if (e.share)
                for (CommuneIndex i : v.set) v.shares[i] = e.share->value;
            return v;
        }
        Value a = eval(*e.left);
        Value b = eval(*e.right);
        Value out;
        switch (e.kind) {
        case Expr::Kind::Union:
            out.set = set_union(a.set, b.set);
            out.shares = union_shares(a, b, out.set);
            out.pending = std::move(a.pending);
            out.pending.insert(out.pending.end(), b.pending.begin(), b.pending.end());
            break;
        case Expr::Kind::Intersection:
            out.set = set_intersection(a.set, b.set);
            out.shares = intersection_shares(a, b, out.set);
            out.pending = narrow(std::move(a.pending), b.set);
            for (auto& p : narrow(std::move(b.pending), a.set)) out.pending.push_back(std::move(p));
            break;
        case Expr::Kind::Difference:
            out.set = set_difference(a.set, b.set);
            out.shares = restricted(a.shares, out.set);
            out.pending = std::move(a.pending);
            for (auto& p : narrow(std::move(b.pending), a.set)) out.pending.push_back(std::move(p));
            break;
        case Expr::Kind::Call: break;
        }
        return out;
    }

    Value eval_top(const Expr& e, const std::string& what)
    {
        std::map<CommuneIndex, Listing> hits;
        auto* saved_listed = listed;
        const std::string saved_context = context;
        listed = &hits;
        context = what;
        Value v = eval(e);
        for (const auto& a : v.pending) {
            std::string list;
            for (CommuneIndex i : a.candidates) list += (list.empty() ? "" : ", ") + describe(i) + " (" + layer[i].departement + ")";
            error(a.pos, "commune name " + quoted(a.name) + " matches " + std::to_string(a.candidates.size()) + " communes: " + list +
                             "; write the INSEE code, or scope the name, e.g. commune(" + quoted(a.name) + ") & dep(" +
                             quoted(layer[a.candidates.front()].departement) + ")");
        }
        listed = saved_listed;
        context = saved_context;
        v.shares = restricted(v.shares, v.set); // names narrowed to one commune leave the others
        return v;
    }

    void resolve_territory(std::size_t t)
    {
        if (state[t] == 2) return;
        const TerritoryDef& def = defs->territories[t];
        state[t] = 1;
        stack.push_back(def.id);
        const std::string saved_territory = territory;
        territory = def.id;
        Value v = eval_top(*def.members, "territory " + quoted(def.id));
        resolved[t] = std::move(v.set);
        resolved_shares[t] = std::move(v.shares);
        territory = saved_territory;
        stack.pop_back();
        state[t] = 2;
    }

    void throw_if_errors() const
    {
        if (errors.empty()) return;
        std::string msg = errors.front();
        if (errors.size() > 1) {
            msg += " [" + std::to_string(errors.size() - 1) + " more problem" + (errors.size() > 2 ? "s" : "") + ": ";
            for (std::size_t i = 1; i < errors.size() && i <= 5; ++i) msg += (i > 1 ? " | " : "") + errors[i];
            if (errors.size() > 6) msg += " | ...";
            msg += "]";
        }
        throw DefinitionError(msg);
    }
};

Resolver::Resolver(const CommuneLayer& layer, const CommuneHistory* history) : layer_(layer), history_(history) {}

Resolution Resolver::resolve(const Definitions& defs)
{
    Impl impl(layer_, history_, warnings_);
    impl.defs = &defs;
    const std::size_t n = defs.territories.size();
    impl.state.assign(n, 0);
    impl.resolved.assign(n, {});
    impl.resolved_shares.assign(n, {});
    for (std::size_t t = 0; t < n; ++t) impl.territory_index[defs.territories[t].id] = t;
    for (std::size_t t = 0; t < n; ++t) impl.resolve_territory(t);

    Resolution out;
    if (defs.study_area) {
        impl.territory = "[study_area]";
        out.study_area = impl.eval_top(*defs.study_area, "[study_area]").set; // a share of the study area is in it
        out.study_area_defined = true;
    }
    impl.throw_if_errors();

    for (std::size_t t = 0; t < n; ++t) {
        const TerritoryDef& def = defs.territories[t];
        if (impl.resolved[t].empty()) warnings_.push_back(def.pos.str() + ": territory " + quoted(def.id) + " resolves to no commune");
        out.territories.push_back(ResolvedTerritory{def.id, def.name, impl.resolved[t], impl.resolved_shares[t]});
    }
    if (!defs.study_area) {
        std::vector<std::string> deps;
        for (const auto& t : out.territories)
            for (CommuneIndex i : t.communes) deps.push_back(layer_[i].departement);
        std::sort(deps.begin(), deps.end());
        deps.erase(std::unique(deps.begin(), deps.end()), deps.end());
        for (const auto& d : deps) out.study_area = set_union(out.study_area, sorted_unique(layer_.in_departement(d)));
    } else if (out.study_area.empty()) {
        warnings_.push_back(defs.study_area->pos.str() + ": the study area resolves to no commune");
    }
    out.warnings = warnings_;
    out.terms = std::move(impl.terms);
    return out;
}

CommuneSet Resolver::resolve_expression(const Expr& expr)
{
    Impl impl(layer_, history_, warnings_);
    CommuneSet out = impl.eval_top(expr, "the expression").set;
    terms_ = std::move(impl.terms);
    impl.throw_if_errors();
    return out;
}

} // namespace cptsmap
