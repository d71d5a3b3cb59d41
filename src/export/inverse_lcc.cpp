#include "cptsmap/export/inverse_lcc.hpp"

#include <ogr_spatialref.h>

#include <cmath>
#include <numbers>
#include <string_view>
#include <vector>

namespace cptsmap {

namespace {

constexpr double kDegree = std::numbers::pi / 180.0;

double m_of(double phi, double e2) { return std::cos(phi) / std::sqrt(1.0 - e2 * std::sin(phi) * std::sin(phi)); }

double t_of(double phi, double e)
{
    const double s = std::sin(phi);
    return std::tan(std::numbers::pi / 4.0 - phi / 2.0) / std::pow((1.0 - e * s) / (1.0 + e * s), e / 2.0);
}

} // namespace

std::optional<InverseLcc> InverseLcc::make(const OGRSpatialReference& source, OGRCoordinateTransformation& reference,
                                           const std::array<double, 4>& extent)
{
    const char* projection = source.GetAttrValue("PROJECTION");
    if (projection == nullptr || std::string_view(projection) != SRS_PT_LAMBERT_CONFORMAL_CONIC_2SP || source.GetLinearUnits() != 1.0)
        return std::nullopt;
    OGRErr err = OGRERR_NONE;
    const double a = source.GetSemiMajor(&err);
    const double inverse_flattening = source.GetInvFlattening(&err);
    if (err != OGRERR_NONE || !(a > 0.0) || !(inverse_flattening > 0.0)) return std::nullopt;
    const double phi1 = source.GetNormProjParm(SRS_PP_STANDARD_PARALLEL_1, 0.0) * kDegree;
    const double phi2 = source.GetNormProjParm(SRS_PP_STANDARD_PARALLEL_2, 0.0) * kDegree;
    const double phi0 = source.GetNormProjParm(SRS_PP_LATITUDE_OF_ORIGIN, 0.0) * kDegree;

    InverseLcc p;
    const double f = 1.0 / inverse_flattening;
    p.e2_ = 2.0 * f - f * f;
    p.e_ = std::sqrt(p.e2_);
    const double m1 = m_of(phi1, p.e2_), m2 = m_of(phi2, p.e2_);
    const double t1 = t_of(phi1, p.e_), t2 = t_of(phi2, p.e_), t0 = t_of(phi0, p.e_);
    p.n_ = phi1 == phi2 ? std::sin(phi1) : (std::log(m1) - std::log(m2)) / (std::log(t1) - std::log(t2));
    if (!std::isfinite(p.n_) || p.n_ == 0.0) return std::nullopt;
    p.af_ = a * m1 / (p.n_ * std::pow(t1, p.n_));
    p.rho0_ = p.af_ * std::pow(t0, p.n_);
    p.lambda0_ = source.GetNormProjParm(SRS_PP_CENTRAL_MERIDIAN, 0.0) * kDegree;
    p.false_easting_ = source.GetNormProjParm(SRS_PP_FALSE_EASTING, 0.0);
    p.false_northing_ = source.GetNormProjParm(SRS_PP_FALSE_NORTHING, 0.0);
    const double e4 = p.e2_ * p.e2_, e6 = e4 * p.e2_, e8 = e4 * e4;
    p.a2_ = p.e2_ / 2.0 + 5.0 * e4 / 24.0 + e6 / 12.0 + 13.0 * e8 / 360.0;
    p.a4_ = 7.0 * e4 / 48.0 + 29.0 * e6 / 240.0 + 811.0 * e8 / 11520.0;
    p.a6_ = 7.0 * e6 / 120.0 + 81.0 * e8 / 1120.0;
    p.a8_ = 4279.0 * e8 / 161280.0;

    // Checked against PROJ on a 17 × 17 grid over the extent.
    constexpr int kSide = 17;
    std::vector<double> x, y;
    for (int i = 0; i < kSide; ++i)
        for (int j = 0; j < kSide; ++j) {
            x.push_back(extent[0] + (extent[2] - extent[0]) * i / (kSide - 1));
            y.push_back(extent[1] + (extent[3] - extent[1]) * j / (kSide - 1));
        }
    std::vector<double> lon = x, lat = y;
    if (!reference.Transform(lon.size(), lon.data(), lat.data())) return std::nullopt;
    for (std::size_t k = 0; k < x.size(); ++k) {
        double plon = 0.0, plat = 0.0;
        p.lonlat(x[k], y[k], plon, plat);
        if (!(std::fabs(plon - lon[k]) < 1e-12) || !(std::fabs(plat - lat[k]) < 1e-12)) return std::nullopt;
    }
    return p;
}

void InverseLcc::lonlat(double x, double y, double& lon, double& lat) const noexcept
{
    double dx = x - false_easting_, dy = rho0_ - (y - false_northing_);
    double rho = std::sqrt(dx * dx + dy * dy);
    if (n_ < 0.0) {
        rho = -rho;
        dx = -dx;
        dy = -dy;
    }
    const double theta = std::atan2(dx, dy);
    const double t = std::pow(rho / af_, 1.0 / n_);
    // The conformal latitude, then the geodetic one by the series in sin 2χ ... sin 8χ.
    const double chi = std::numbers::pi / 2.0 - 2.0 * std::atan(t);
    const double s2 = std::sin(2.0 * chi), c2 = std::cos(2.0 * chi);
    const double s4 = 2.0 * s2 * c2, c4 = c2 * c2 - s2 * s2;
    const double s6 = s4 * c2 + c4 * s2, s8 = 2.0 * s4 * c4;
    double phi = chi + a2_ * s2 + a4_ * s4 + a6_ * s6 + a8_ * s8;
    // One Newton step on the isometric latitude ψ(φ) = atanh(sin φ) - e atanh(e sin φ) = -ln t.
    const double sp = std::sin(phi);
    const double psi = std::atanh(sp) - e_ * std::atanh(e_ * sp);
    phi += (-std::log(t) - psi) * (1.0 - e2_ * sp * sp) * std::cos(phi) / (1.0 - e2_);
    lon = (theta / n_ + lambda0_) / kDegree;
    lat = phi / kDegree;
}

} // namespace cptsmap
