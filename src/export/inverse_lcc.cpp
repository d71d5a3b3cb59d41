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
    const double e2 = 2.0 * f - f * f, e = std::sqrt(e2);
    const double m1 = m_of(phi1, e2), m2 = m_of(phi2, e2);
    const double t1 = t_of(phi1, e), t2 = t_of(phi2, e), t0 = t_of(phi0, e);
    p.n_ = phi1 == phi2 ? std::sin(phi1) : (std::log(m1) - std::log(m2)) / (std::log(t1) - std::log(t2));
    if (!std::isfinite(p.n_) || p.n_ == 0.0) return std::nullopt;
    p.af_ = a * m1 / (p.n_ * std::pow(t1, p.n_));
    p.rho0_ = p.af_ * std::pow(t0, p.n_);
    p.lambda0_ = source.GetNormProjParm(SRS_PP_CENTRAL_MERIDIAN, 0.0) * kDegree;
    p.false_easting_ = source.GetNormProjParm(SRS_PP_FALSE_EASTING, 0.0);
    p.false_northing_ = source.GetNormProjParm(SRS_PP_FALSE_NORTHING, 0.0);
    // Series from the conformal latitude χ to the geodetic one in the third flattening n (Krüger;
    // Karney 2011, eq. 38 of "Transverse Mercator with an accuracy of a few nanometers"), to n⁶:
    // the terms left out are below 1e-19 rad for the Earth.
    const double n = f / (2.0 - f), n2 = n * n, n3 = n2 * n, n4 = n3 * n, n5 = n4 * n, n6 = n5 * n;
    p.d_[0] = 2.0 * n - 2.0 * n2 / 3.0 - 2.0 * n3 + 116.0 * n4 / 45.0 + 26.0 * n5 / 45.0 - 2854.0 * n6 / 675.0;
    p.d_[1] = 7.0 * n2 / 3.0 - 8.0 * n3 / 5.0 - 227.0 * n4 / 45.0 + 2704.0 * n5 / 315.0 + 2323.0 * n6 / 945.0;
    p.d_[2] = 56.0 * n3 / 15.0 - 136.0 * n4 / 35.0 - 1262.0 * n5 / 105.0 + 73814.0 * n6 / 2835.0;
    p.d_[3] = 4279.0 * n4 / 630.0 - 332.0 * n5 / 35.0 - 399572.0 * n6 / 14175.0;
    p.d_[4] = 4174.0 * n5 / 315.0 - 144838.0 * n6 / 6237.0;
    p.d_[5] = 601676.0 * n6 / 22275.0;
    p.inverse_n_ = 1.0 / p.n_;

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
    const double t = std::exp(std::log(rho / af_) * inverse_n_);
    // The conformal latitude χ = π/2 - 2 atan t; sin 2χ and cos 2χ from t without trigonometry
    // (sin χ = (1 - t²)/(1 + t²), cos χ = 2t/(1 + t²)), the series summed by Clenshaw's recurrence.
    const double chi = std::numbers::pi / 2.0 - 2.0 * std::atan(t);
    const double t2 = t * t, q = 1.0 / (1.0 + t2), sin_chi = (1.0 - t2) * q, cos_chi = 2.0 * t * q;
    const double s2 = 2.0 * sin_chi * cos_chi, c2 = (cos_chi - sin_chi) * (cos_chi + sin_chi);
    double b1 = 0.0, b2 = 0.0;
    for (int k = 5; k >= 0; --k) {
        const double b0 = d_[static_cast<std::size_t>(k)] + 2.0 * c2 * b1 - b2;
        b2 = b1;
        b1 = b0;
    }
    const double phi = chi + b1 * s2;
    lon = (theta / n_ + lambda0_) / kDegree;
    lat = phi / kDegree;
}

} // namespace cptsmap
