// An index of the geospatial conditions of filters, by bounding box.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_ROOMS_DETAIL_GEO_INDEX_HPP
#define RTNOTIFY_ROOMS_DETAIL_GEO_INDEX_HPP

#include <rtnotify/rooms/filter.hpp>
#include <rtnotify/rooms/geo.hpp>

#include <boost/geometry/algorithms/equals.hpp>
#include <boost/geometry/geometries/box.hpp>
#include <boost/geometry/index/rtree.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <utility>
#include <vector>

namespace rtnotify::rooms::detail {

/// Longitudes and latitudes in degrees, borders included; min_lon <= max_lon (no wrap).
struct lonlat_box
{
    double min_lon = -180, min_lat = -90, max_lon = 180, max_lat = 90;
    bool operator==(lonlat_box const&) const = default;
};

/// `geoBoundingBox`: its own box; none when it is empty (then it accepts no point).
inline std::vector<lonlat_box> bounds_of(geo_box_term const& t)
{
    if(!(t.left <= t.right && t.bottom <= t.top))
        return {};
    return {lonlat_box{t.left, t.bottom, t.right, t.top}};
}

/** `geoDistance`, `geoDistanceRange`: boxes around the disc of radius `to`.

    On the WGS84 ellipsoid a path of length L changes latitude by at most
    L / M0 radians and, where it stays within latitude ±φ, longitude by at
    most L / (M0 cos φ), M0 being the smallest radius of curvature (the
    meridian's at the equator). A disc that reaches a pole spans every
    longitude; one across the antimeridian gives two boxes.
*/
inline std::vector<lonlat_box> bounds_of(geo_distance_term const& t)
{
    constexpr double m0 = 6335439.327; // a (1 - e^2), in meters
    constexpr double degrees = 180 / std::numbers::pi;
    double const theta = t.to / m0 * (1 + 1e-6) + 1e-7; // radians, with room for rounding
    if(!(theta < std::numbers::pi) || !std::isfinite(t.center.lat) || !std::isfinite(t.center.lon))
        return {lonlat_box{}};
    double const low = t.center.lat - theta * degrees;
    double const high = t.center.lat + theta * degrees;
    if(low <= -90 || high >= 90)
        return {lonlat_box{-180, std::max(low, -90.0), 180, std::min(high, 90.0)}};
    double const poleward = std::max(std::fabs(low), std::fabs(high)) / degrees;
    double const half = theta / std::cos(poleward) * degrees;
    if(half >= 180)
        return {lonlat_box{-180, low, 180, high}};
    double const west = t.center.lon - half;
    double const east = t.center.lon + half;
    if(west < -180)
        return {lonlat_box{-180, low, east, high}, lonlat_box{west + 360, low, 180, high}};
    if(east > 180)
        return {lonlat_box{west, low, 180, high}, lonlat_box{-180, low, east - 360, high}};
    return {lonlat_box{west, low, east, high}};
}

/** `geoPolygon`: the geodesic envelope of the polygon (edges can bulge
    towards a pole beyond their ends), widened by 0.05° for the difference
    between the envelope's and the containment test's formulas. An
    envelope across the antimeridian gives two boxes. A polygon whose
    envelope reaches a pole or spans a hemisphere gets the whole globe:
    Boost.Geometry's containment test is not confined to the envelope
    there (a sliver from 43°N to a vertex on the North Pole covers points
    by the South Pole).
*/
inline std::vector<lonlat_box> bounds_of(geo_polygon_term const& t)
{
    namespace bg = boost::geometry;
    constexpr double margin = 0.05;
    auto const env = t.shape->envelope();
    double west = bg::get<bg::min_corner, 0>(env) - margin;
    double east = bg::get<bg::max_corner, 0>(env) + margin;
    double const low = bg::get<bg::min_corner, 1>(env) - margin;
    double const high = bg::get<bg::max_corner, 1>(env) + margin;
    if(!(low <= high) || low <= -90 || high >= 90 || !(west <= east) || east - west >= 180)
        return {lonlat_box{}};
    // bring the west end into [-180, 180)
    while(west >= 180)
        west -= 360, east -= 360;
    while(west < -180)
        west += 360, east += 360;
    if(east > 180)
        return {lonlat_box{west, low, 180, high}, lonlat_box{-180, low, east - 360, high}};
    return {lonlat_box{west, low, east, high}};
}

/** The geo conditions of one field: boxes in an R-tree, asked which contain a point.

    A box only narrows the candidates: the filters found are evaluated.
*/
class geo_index
{
public:
    void add(std::vector<lonlat_box> const& boxes, std::uint32_t slot)
    {
        for(auto const& b : boxes)
            tree_.insert(value(b, slot));
    }

    void remove(std::vector<lonlat_box> const& boxes, std::uint32_t slot)
    {
        for(auto const& b : boxes)
            tree_.remove(value(b, slot));
    }

    bool empty() const noexcept { return tree_.empty(); }

    /// Calls `f(slot)` for every box that contains `p` (a slot with two boxes can come twice).
    template<class F>
    void stab(geopoint const& p, F&& f) const
    {
        namespace bgi = boost::geometry::index;
        for(auto it = tree_.qbegin(bgi::intersects(point(p.lon, p.lat))); it != tree_.qend(); ++it)
            f(it->second);
    }

private:
    using point = boost::geometry::model::point<double, 2, boost::geometry::cs::cartesian>;
    using box = boost::geometry::model::box<point>;
    using entry = std::pair<box, std::uint32_t>;

    static entry value(lonlat_box const& b, std::uint32_t slot)
    {
        return {box(point(b.min_lon, b.min_lat), point(b.max_lon, b.max_lat)), slot};
    }

    boost::geometry::index::rtree<entry, boost::geometry::index::rstar<16>> tree_;
};

} // namespace rtnotify::rooms::detail

#endif
