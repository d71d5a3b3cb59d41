#pragma once
// INSEE's table of commune events ("mouvements des communes", published with every COG): mergers,
// communes nouvelles, renames, code changes, restorations, since 1943. It lets a code or a name from
// an old membership list lead to the communes of the loaded layer.
//
// Rows are read as INSEE writes them (MOD, DATE_EFF, TYPECOM_AV, COM_AV, LIBELLE_AV, TYPECOM_AP,
// COM_AP, LIBELLE_AP; other columns ignored). Only rows whose "after" side is a full commune
// (TYPECOM_AP = COM) move territory; rows towards a commune déléguée or associée only record that
// the old commune lives on inside the new one, and are not followed.
//
// Following a code: the code's *last* event as a full commune (TYPECOM_AV = COM) says where its
// territory went; each successor that the layer holds is an answer, each one it does not hold is
// followed in turn through its own later events (or events of the same day: a code change and a
// merger can share a date). A code newer than the layer (created after the
// layer's edition) is followed backwards to the communes it was made from.
#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cptsmap {

struct HistoryRow {
    int mod = 0;            // INSEE event type: 10 rename, 21 restoration, 31-34 mergers, 41/50 code change...
    std::string date;       // DATE_EFF, "YYYY-MM-DD"
    std::string type_before; // TYPECOM_AV: COM, COMD (déléguée), COMA (associée), ARM
    std::string code_before;
    std::string name_before; // LIBELLE_AV, with its article ("Le Val-Larrey")
    std::string type_after;
    std::string code_after;
    std::string name_after;
};

// One step of a chain: which event took the commune where, and when.
struct HistoryStep {
    int mod = 0;
    std::string date;
};

// Where an old code or name leads in a layer.
struct HistoryMapping {
    std::string old_code;
    std::string old_name;
    std::vector<std::string> codes; // codes the layer holds, sorted, unique; empty: leads nowhere in the layer
    std::vector<HistoryStep> steps; // the events followed, in date order
    bool backward = false;          // the code/name is newer than the layer: mapped to its predecessors
    bool split() const noexcept { return codes.size() > 1; }
    // "merged 2019-01-01", "renamed 1999-03-01, then merged 2019-01-01", "newer than the layer:
    // created 2025-01-01 from these communes".
    std::string describe() const;
};

// English for an INSEE MOD code ("merged into a commune nouvelle", "renamed", ...).
std::string describe_mod(int mod);

class CommuneHistory {
public:
    using Alive = std::function<bool(const std::string& code)>;

    CommuneHistory() = default;
    CommuneHistory(std::vector<HistoryRow> rows, std::string source);

    // Where an INSEE code leads; nullopt if the table never mentions it as a commune.
    std::optional<HistoryMapping> map_code(const std::string& code, const Alive& alive) const;
    // Where a former name (compared after normalize_name) leads: one mapping per distinct old
    // commune of that name whose territory reaches the layer. Empty if none.
    std::vector<HistoryMapping> map_name(const std::string& name, const Alive& alive) const;

    std::size_t size() const noexcept { return rows_.size(); }
    const std::vector<HistoryRow>& rows() const noexcept { return rows_; }
    const std::string& source() const noexcept { return source_; }

private:
    using Index = std::map<std::string, std::vector<std::size_t>>; // key -> rows, in date order
    bool follow(const std::string& code, const std::string& after, bool same_day, const Alive& alive, HistoryMapping& m, int depth) const;
    bool follow_event(const std::string& code, const std::string& date, const Alive& alive, HistoryMapping& m, int depth) const;
    bool follow_back(const std::string& code, const std::string& before, const Alive& alive, HistoryMapping& m, int depth) const;

    std::vector<HistoryRow> rows_; // in date order (stable: the file's order within a date)
    Index before_;                 // COM_AV of rows with TYPECOM_AV = COM
    Index after_;                  // COM_AP of rows with TYPECOM_AP = COM
    Index name_before_;            // normalised LIBELLE_AV of rows with TYPECOM_AV = COM
    Index name_after_;             // normalised LIBELLE_AP of rows with TYPECOM_AP = COM
    std::string source_;
};

// Reads INSEE's CSV (mouvements-communes-AAAA.csv) through GDAL's CSV driver. Throws InputError when
// the file cannot be read or lacks a column it needs.
CommuneHistory load_commune_history(const std::string& path);

} // namespace cptsmap
