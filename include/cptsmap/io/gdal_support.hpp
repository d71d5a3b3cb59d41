#pragma once
// GDAL plumbing shared by readers and writers: one-time driver registration, and a scope that routes
// GDAL's error messages into our own diagnostics instead of letting GDAL print them on stderr.
// Datasets and features use GDAL's own RAII types (GDALDatasetUniquePtr, OGRFeatureUniquePtr).
#include <string>
#include <vector>

namespace cptsmap {

// Registers GDAL's drivers once, and makes GDAL quiet outside a GdalErrorCapture (its default
// handler printed every message on stderr).
void ensure_gdal_registered();

// While alive, GDAL messages raised on this thread are collected here rather than printed.
class GdalErrorCapture {
public:
    GdalErrorCapture();
    ~GdalErrorCapture();
    GdalErrorCapture(const GdalErrorCapture&) = delete;
    GdalErrorCapture& operator=(const GdalErrorCapture&) = delete;

    bool failed() const noexcept { return !failures_.empty(); }
    // The last failure message ("" if none); GDAL's own wording, to append to ours.
    std::string last_failure() const { return failures_.empty() ? std::string() : failures_.back(); }
    // The first failure ("" if none): the cause, where later ones are consequences (an aborted
    // database transaction).
    std::string first_failure() const { return failures_.empty() ? std::string() : failures_.front(); }
    const std::vector<std::string>& warnings() const noexcept { return warnings_; }
    void clear() { failures_.clear(); warnings_.clear(); }

private:
    static void handler(int error_class, int error_number, const char* message);
    std::vector<std::string> failures_;
    std::vector<std::string> warnings_;
};

} // namespace cptsmap
