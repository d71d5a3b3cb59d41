#include "cptsmap/export/output_dir.hpp"

#include "cptsmap/error.hpp"

#include <unistd.h>

#include <fstream>
#include <mutex>
#include <set>

namespace fs = std::filesystem;

namespace cptsmap {

namespace {
// The staging folders alive in the process. A registry is process state by nature (signals are
// process-wide); it holds paths only, and the mutex also orders commits against an interruption.
struct StagingRegistry {
    std::mutex mutex;
    std::set<fs::path> folders;
    bool abandoned = false;
};
StagingRegistry& registry()
{
    static StagingRegistry r;
    return r;
}
void unregister(const fs::path& staging)
{
    std::lock_guard lock(registry().mutex);
    registry().folders.erase(staging);
}
} // namespace

std::size_t abandon_all_output_dirs() noexcept
{
    StagingRegistry& r = registry();
    std::lock_guard lock(r.mutex);
    r.abandoned = true;
    std::size_t removed = 0;
    for (const auto& f : r.folders) {
        std::error_code ec;
        if (fs::remove_all(f, ec) > 0) ++removed;
    }
    r.folders.clear();
    return removed;
}

void check_output_folder(const fs::path& target, bool overwrite)
{
    if (target.empty()) throw OutputError("the output folder is empty (--out \"\"); name the folder to write into");
    std::error_code ec;
    const fs::path resolved = fs::weakly_canonical(fs::absolute(target, ec), ec);
    if (!ec && resolved == resolved.root_path()) {
        throw OutputError("output folder " + target.string() + " is the root of the file system; give a folder of its own, e.g. --out out");
    }
    if (!fs::exists(target, ec)) return;
    if (!fs::is_directory(target, ec)) throw OutputError("output " + target.string() + " exists and is not a folder; choose another --out");
    if (overwrite || fs::exists(target / kOutputMarker, ec)) return;
    fs::directory_iterator it(target, ec);
    if (ec) throw OutputError("cannot list output folder " + target.string() + ": " + ec.message() + "; check its permissions");
    std::size_t files = 0;
    std::string first;
    for (; it != fs::directory_iterator(); it.increment(ec)) {
        if (ec) break;
        if (files++ == 0) first = it->path().filename().string();
    }
    if (files == 0) return;
    throw OutputError("output folder " + target.string() + " holds " + std::to_string(files) + " file" + (files > 1 ? "s" : "") + " (\"" + first +
                      "\"" + (files > 1 ? ", ..." : "") + ") and is not a previous cptsmap output (it has no " + kOutputMarker +
                      " file); choose a new or empty folder, or pass --overwrite to write into it anyway (files of the same names are replaced)");
}

OutputDir::OutputDir(fs::path target, OutputDirOptions options) : target_(std::move(target))
{
    std::error_code ec;
    if (options.single_file) {
        if (fs::exists(target_, ec) && !fs::is_directory(target_, ec)) {
            throw OutputError("output " + target_.string() + " exists and is not a folder; choose another --out");
        }
    } else {
        check_output_folder(target_, options.overwrite);
    }
    fs::path parent = fs::absolute(target_, ec).parent_path();
    fs::create_directories(parent, ec);
    if (ec) throw OutputError("cannot create folder " + parent.string() + ": " + ec.message());
    const std::string name = "." + fs::absolute(target_).filename().string() + ".cptsmap-staging-" + std::to_string(::getpid());
    staging_ = parent / name;
    fs::remove_all(staging_, ec);
    {
        std::lock_guard lock(registry().mutex);
        if (registry().abandoned) throw OutputError("interrupted");
        fs::create_directory(staging_, ec);
        if (!ec) registry().folders.insert(staging_);
    }
    if (ec) throw OutputError("cannot create a staging folder in " + parent.string() + ": " + ec.message() + "; check write permissions");
    if (options.single_file) return;
    try {
        write_text_file(staged(kOutputMarker), "cptsmap output folder: the next cptsmap run with this --out replaces its files\n");
    } catch (...) {
        unregister(staging_); // no destructor for an object whose constructor throws
        fs::remove_all(staging_, ec);
        throw;
    }
}

OutputDir::~OutputDir()
{
    std::error_code ec;
    if (!staging_.empty()) {
        unregister(staging_);
        fs::remove_all(staging_, ec);
    }
}

fs::path OutputDir::staged(const std::string& file)
{
    files_.push_back(file);
    return staging_ / file;
}

void OutputDir::commit()
{
    if (committed_) return;
    std::lock_guard lock(registry().mutex);
    if (registry().abandoned) throw OutputError("interrupted before the outputs were moved into " + target_.string());
    std::error_code ec;
    if (!fs::exists(target_, ec)) {
        fs::rename(staging_, target_, ec);
        if (!ec) {
            registry().folders.erase(staging_);
            staging_.clear();
            committed_ = true;
            return;
        }
        fs::create_directories(target_, ec);
        if (ec) throw OutputError("cannot create output folder " + target_.string() + ": " + ec.message());
    }
    for (const auto& f : files_) {
        fs::rename(staging_ / f, target_ / f, ec);
        if (ec) throw OutputError("cannot move " + f + " into " + target_.string() + ": " + ec.message());
    }
    committed_ = true;
}

void write_text_file(const std::filesystem::path& path, std::string_view text)
{
    std::filesystem::path temporary = path;
    temporary += ".partial";
    {
        std::ofstream f(temporary, std::ios::binary);
        f.write(text.data(), static_cast<std::streamsize>(text.size()));
        f.close();
        if (!f) {
            std::error_code ignored;
            std::filesystem::remove(temporary, ignored);
            throw OutputError("cannot write " + path.string() + "; is the disk full?");
        }
    }
    std::error_code ec;
    std::filesystem::rename(temporary, path, ec);
    if (ec) {
        std::error_code ignored;
        std::filesystem::remove(temporary, ignored);
        throw OutputError("cannot write " + path.string() + ": " + ec.message());
    }
}

} // namespace cptsmap
