#include "cptsmap/history/commune_history.hpp"

#include "cptsmap/error.hpp"
#include "cptsmap/io/gdal_support.hpp"
#include "cptsmap/names/normalize.hpp"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <set>

namespace cptsmap {

namespace {

constexpr int max_depth = 32; // chains of events are a few steps long; this only guards against loops
const std::string far_future = "9999-12-31";

void add_code(HistoryMapping& m, const std::string& code)
{
    auto it = std::lower_bound(m.codes.begin(), m.codes.end(), code);
    if (it == m.codes.end() || *it != code) m.codes.insert(it, code);
}

void add_step(HistoryMapping& m, int mod, const std::string& date)
{
    for (const auto& s : m.steps)
        if (s.mod == mod && s.date == date) return;
    m.steps.push_back(HistoryStep{mod, date});
    std::stable_sort(m.steps.begin(), m.steps.end(), [](const auto& a, const auto& b) { return a.date < b.date; });
}

} // namespace

std::string describe_mod(int mod)
{
    switch (mod) {
    case 10: return "renamed";
    case 20: return "created";
    case 21: return "restored";
    case 30: return "suppressed";
    case 31: return "merged";
    case 32: return "merged";
    case 33: return "merged (association)";
    case 34: return "merged";
    case 35: return "merged";
    case 41: return "changed code (new département)";
    case 50: return "changed code (chef-lieu moved)";
    case 70:
    case 71:
    case 72: return "changed status";
    default: return "changed (INSEE event " + std::to_string(mod) + ")";
    }
}

std::string HistoryMapping::describe() const
{
    std::string out;
    for (const auto& s : steps) out += (out.empty() ? "" : ", then ") + describe_mod(s.mod) + " " + s.date;
    if (backward) out = "newer than the layer: " + out + "; mapped to the communes it was made from";
    if (split()) out += "; split between " + std::to_string(codes.size()) + " communes";
    return out;
}

CommuneHistory::CommuneHistory(std::vector<HistoryRow> rows, std::string source) : rows_(std::move(rows)), source_(std::move(source))
{
    std::stable_sort(rows_.begin(), rows_.end(), [](const HistoryRow& a, const HistoryRow& b) { return a.date < b.date; });
    for (std::size_t i = 0; i < rows_.size(); ++i) {
        const HistoryRow& r = rows_[i];
        if (r.type_before == "COM" && !r.code_before.empty()) {
            before_[r.code_before].push_back(i);
            name_before_[normalize_name(r.name_before)].push_back(i);
        }
        if (r.type_after == "COM" && !r.code_after.empty()) {
            after_[r.code_after].push_back(i);
            name_after_[normalize_name(r.name_after)].push_back(i);
        }
    }
}

// The event of `date` that ended (or changed) `code` as a full commune: its successors.
bool CommuneHistory::follow_event(const std::string& code, const std::string& date, const Alive& alive, HistoryMapping& m, int depth) const
{
    if (depth > max_depth) return false;
    auto it = before_.find(code);
    if (it == before_.end()) return false;
    std::vector<std::string> successors;
    int mod = 0;
    for (std::size_t r : it->second) {
        const HistoryRow& row = rows_[r];
        if (row.date != date) continue;
        if (mod == 0 || row.code_after != code) mod = row.mod;
        if (row.type_after == "COM" && !row.code_after.empty() &&
            std::find(successors.begin(), successors.end(), row.code_after) == successors.end())
            successors.push_back(row.code_after);
    }
    if (mod != 0) add_step(m, mod, date);
    bool reached = false;
    for (const auto& s : successors) {
        if (alive(s)) {
            add_code(m, s);
            reached = true;
        } else if (s == code) {
            // The commune lives on under its code but the layer lacks it: a later event may say more.
            reached = follow(s, date, false, alive, m, depth + 1) || reached;
        } else {
            // Same-day chains exist: Pont-Farcy changed code (14513 → 50649) and merged into Tessy-Bocage
            // (50649 → 50592) both on 2018-01-01.
            reached = follow(s, date, true, alive, m, depth + 1) || reached;
        }
    }
    return reached;
}

// The last event after `after` (or on that day, if `same_day`) in which `code` took part as a full
// commune.
bool CommuneHistory::follow(const std::string& code, const std::string& after, bool same_day, const Alive& alive, HistoryMapping& m,
                            int depth) const
{
    auto it = before_.find(code);
    if (it == before_.end()) return false;
    const std::string& last = rows_[it->second.back()].date;
    if (last < after || (last == after && !same_day)) return false;
    return follow_event(code, last, alive, m, depth);
}

// The latest event before `before` that made `code` out of other communes: its predecessors.
bool CommuneHistory::follow_back(const std::string& code, const std::string& before, const Alive& alive, HistoryMapping& m, int depth) const
{
    if (depth > max_depth) return false;
    auto it = after_.find(code);
    if (it == after_.end()) return false;
    std::string date;
    for (auto r = it->second.rbegin(); r != it->second.rend(); ++r) {
        const HistoryRow& row = rows_[*r];
        if (row.date < before && row.type_before == "COM" && row.code_before != code && !row.code_before.empty()) {
            date = row.date;
            break;
        }
    }
    if (date.empty()) return false;
    bool reached = false;
    for (std::size_t r : it->second) {
        const HistoryRow& row = rows_[r];
        if (row.date != date || row.type_before != "COM" || row.code_before.empty()) continue;
        if (row.code_before != code) add_step(m, row.mod, date);
        if (alive(row.code_before)) {
            add_code(m, row.code_before);
            reached = true;
        } else {
            reached = follow_back(row.code_before, date, alive, m, depth + 1) || reached;
        }
    }
    return reached;
}

std::optional<HistoryMapping> CommuneHistory::map_code(const std::string& code, const Alive& alive) const
{
    const auto b = before_.find(code);
    const auto a = after_.find(code);
    if (b == before_.end() && a == after_.end()) return std::nullopt;
    HistoryMapping m;
    m.old_code = code;
    m.old_name = b != before_.end() ? rows_[b->second.back()].name_before : rows_[a->second.back()].name_after;
    if (follow(code, "", true, alive, m, 0)) return m;
    HistoryMapping back;
    back.old_code = code;
    back.old_name = m.old_name;
    back.backward = true;
    if (follow_back(code, far_future, alive, back, 0)) return back;
    m.codes.clear();
    return m;
}

std::vector<HistoryMapping> CommuneHistory::map_name(const std::string& name, const Alive& alive) const
{
    const std::string key = normalize_name(name);
    std::vector<HistoryMapping> out;
    auto keep = [&](HistoryMapping m) {
        for (const auto& o : out)
            if (o.codes == m.codes) return;
        out.push_back(std::move(m));
    };
    // Former names: the latest event each old commune of that name took part in.
    if (auto it = name_before_.find(key); it != name_before_.end()) {
        std::map<std::string, std::size_t> latest; // code -> row
        for (std::size_t r : it->second) latest[rows_[r].code_before] = r;
        for (const auto& [code, r] : latest) {
            HistoryMapping m;
            m.old_code = code;
            m.old_name = rows_[r].name_before;
            if (follow_event(code, rows_[r].date, alive, m, 0)) keep(std::move(m));
        }
    }
    if (!out.empty()) return out;
    // Names newer than the layer.
    if (auto it = name_after_.find(key); it != name_after_.end()) {
        std::set<std::string> codes;
        for (std::size_t r : it->second) codes.insert(rows_[r].code_after);
        for (const auto& code : codes) {
            if (alive(code)) continue;
            HistoryMapping m;
            m.old_code = code;
            m.old_name = rows_[after_.at(code).back()].name_after;
            m.backward = true;
            if (follow_back(code, far_future, alive, m, 0)) keep(std::move(m));
        }
    }
    return out;
}

CommuneHistory load_commune_history(const std::string& path)
{
    ensure_gdal_registered();
    GdalErrorCapture capture;
    const char* const drivers[] = {"CSV", nullptr};
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers));
    if (!ds || ds->GetLayerCount() < 1) {
        throw InputError("cannot read the INSEE commune history " + path +
                         (capture.failed() ? " (GDAL: " + capture.last_failure() + ")" : std::string()) +
                         "; pass INSEE's mouvements-communes CSV (insee.fr, Code officiel géographique) with --cog-history");
    }
    OGRLayer* layer = ds->GetLayer(0);
    OGRFeatureDefn* defn = layer->GetLayerDefn();
    const char* const needed[] = {"MOD", "DATE_EFF", "TYPECOM_AV", "COM_AV", "LIBELLE_AV", "TYPECOM_AP", "COM_AP", "LIBELLE_AP"};
    int idx[8];
    for (int k = 0; k < 8; ++k) {
        idx[k] = defn->GetFieldIndex(needed[k]);
        if (idx[k] < 0) {
            throw InputError("the INSEE commune history " + path + " has no column " + needed[k] +
                             "; expected INSEE's mouvements-communes CSV (columns MOD, DATE_EFF, TYPECOM_AV, COM_AV, ..., LIBELLE_AP)");
        }
    }
    std::vector<HistoryRow> rows;
    for (auto& f : *layer) {
        HistoryRow r;
        r.mod = f->GetFieldAsInteger(idx[0]);
        r.date = f->GetFieldAsString(idx[1]);
        r.type_before = f->GetFieldAsString(idx[2]);
        r.code_before = f->GetFieldAsString(idx[3]);
        r.name_before = f->GetFieldAsString(idx[4]);
        r.type_after = f->GetFieldAsString(idx[5]);
        r.code_after = f->GetFieldAsString(idx[6]);
        r.name_after = f->GetFieldAsString(idx[7]);
        rows.push_back(std::move(r));
    }
    if (rows.empty()) throw InputError("the INSEE commune history " + path + " has no rows; pass INSEE's mouvements-communes CSV");
    return CommuneHistory(std::move(rows), path);
}

} // namespace cptsmap
