#pragma once
// The inverse of a Lambert Conformal Conic projection with two standard parallels (Lambert-93,
// the CC zones) to longitude/latitude, in closed form: the conformal latitude from the cone, then
// the geodetic latitude by the series in the third flattening that PROJ's etmerc uses (Krüger;
// Engsager & Poder 2007; Karney 2011), to the sixth order: no iteration, five elementary functions
// a point.
//
// Written by hand because PROJ's inverse iterates its way to the latitude: 270-320 ns a point on
// this machine where this takes about 60, and a national build reprojects half a million vertices.
// PROJ stays the reference: make() accepts a CRS only when both agree within 1e-12° on a grid of
// points over the data's extent (which also rules out any datum shift to WGS84), and callers
// use PROJ otherwise. Over France the two differ by less than 1e-13°.
#include <array>
#include <optional>

class OGRSpatialReference;
class OGRCoordinateTransformation;

namespace cptsmap {

class InverseLcc {
public:
    // `reference`: the OGR/PROJ transformation from `source` to WGS84 longitude/latitude
    // (traditional GIS order); `extent`: {xmin, ymin, xmax, ymax} of the points to come.
    static std::optional<InverseLcc> make(const OGRSpatialReference& source, OGRCoordinateTransformation& reference,
                                          const std::array<double, 4>& extent);

    // Degrees of longitude and latitude of projected point (x, y).
    void lonlat(double x, double y, double& lon, double& lat) const noexcept;

private:
    double n_ = 0, af_ = 0, rho0_ = 0, lambda0_ = 0, false_easting_ = 0, false_northing_ = 0;
    double inverse_n_ = 0;
    std::array<double, 6> d_{}; // coefficients of sin 2χ ... sin 12χ in the latitude series
};

} // namespace cptsmap
