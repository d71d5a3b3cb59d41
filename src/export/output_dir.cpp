#include "cptsmap/export/output_dir.hpp"

#include "cptsmap/error.hpp"

#include <unistd.h>

namespace fs = std::filesystem;

namespace cptsmap {

OutputDir::OutputDir(fs::path target) : target_(std::move(target))
{
    std::error_code ec;
    if (fs::exists(target_, ec) && !fs::is_directory(target_, ec)) {
        throw OutputError("output " + target_.string() + " exists and is not a folder; choose another --out");
    }
    fs::path parent = fs::absolute(target_, ec).parent_path();
    fs::create_directories(parent, ec);
    if (ec) throw OutputError("cannot create folder " + parent.string() + ": " + ec.message());
    const std::string name = "." + fs::absolute(target_).filename().string() + ".cptsmap-staging-" + std::to_string(::getpid());
    staging_ = parent / name;
    fs::remove_all(staging_, ec);
    fs::create_directory(staging_, ec);
    if (ec) throw OutputError("cannot create a staging folder in " + parent.string() + ": " + ec.message() + "; check write permissions");
}

OutputDir::~OutputDir()
{
    std::error_code ec;
    if (!staging_.empty()) fs::remove_all(staging_, ec);
}

fs::path OutputDir::staged(const std::string& file)
{
    files_.push_back(file);
    return staging_ / file;
}

void OutputDir::commit()
{
    if (committed_) return;
    std::error_code ec;
    if (!fs::exists(target_, ec)) {
        fs::rename(staging_, target_, ec);
        if (!ec) {
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

} // namespace cptsmap
