// Geospatial terms of Koncorde filters: points, distances, boxes and polygons on Boost.Geometry.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_ROOMS_GEO_HPP
#define RTNOTIFY_ROOMS_GEO_HPP

#include <boost/geometry/algorithms/correct.hpp>
#include <boost/geometry/algorithms/covered_by.hpp>
#include <boost/geometry/algorithms/distance.hpp>
#include <boost/geometry/algorithms/envelope.hpp>
#include <boost/geometry/core/cs.hpp>
#include <boost/geometry/geometries/box.hpp>
#include <boost/geometry/geometries/point.hpp>
#include <boost/geometry/geometries/polygon.hpp>
#include <boost/geometry/strategies/geographic/distance.hpp>
#include <boost/geometry/strategies/strategies.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rtnotify::rooms {

/// A point on the WGS84 ellipsoid, in degrees.
struct geopoint
{
    double lat = 0;
    double lon = 0;
    bool operator==(geopoint const&) const = default;
};

namespace detail {

/// JavaScript's `parseFloat`: leading spaces, then the longest decimal prefix; empty when there is none.
inline std::optional<double> parse_float(std::string_view s) noexcept
{
    while(!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
        s.remove_prefix(1);
    if(!s.empty() && s.front() == '+')
        s.remove_prefix(1);
    double v = 0;
    auto const r = std::from_chars(s.data(), s.data() + s.size(), v);
    if(r.ec != std::errc() || !std::isfinite(v))
        return std::nullopt;
    return v;
}

inline std::optional<double> number_of(boost::json::value const& v) noexcept
{
    if(v.is_number())
        return v.to_number<double>();
    if(auto const* s = v.if_string())
        return parse_float(*s);
    return std::nullopt;
}

/** Decodes a geohash to the centre of its cell.

    Koncorde takes any `^[0-9a-z]{4,}$` string for a geohash; the letters the
    geohash alphabet lacks (`a i l o`) count as 0, as its decoder does, so
    filters and documents read such strings alike.
*/
inline std::optional<geopoint> decode_geohash(std::string_view s) noexcept
{
    static constexpr std::string_view alphabet = "0123456789bcdefghjkmnpqrstuvwxyz";
    if(s.size() < 4 || !std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'); }))
        return std::nullopt;
    double lat_lo = -90, lat_hi = 90, lon_lo = -180, lon_hi = 180;
    bool even = true;
    for(char c : s)
    {
        auto i = alphabet.find(c);
        if(i == std::string_view::npos)
            i = 0;
        for(int bit = 4; bit >= 0; --bit)
        {
            bool const on = (i >> bit) & 1;
            double& lo = even ? lon_lo : lat_lo;
            double& hi = even ? lon_hi : lat_hi;
            double const mid = (lo + hi) / 2;
            (on ? lo : hi) = mid;
            even = !even;
        }
    }
    return geopoint{(lat_lo + lat_hi) / 2, (lon_lo + lon_hi) / 2};
}

/// `"lat, lon"` (both parsed as by parseFloat), or a geohash.
inline std::optional<geopoint> geopoint_of_string(std::string_view s) noexcept
{
    if(auto const comma = s.find(','); comma != std::string_view::npos)
    {
        auto const lat = parse_float(s.substr(0, comma));
        auto const lon = parse_float(s.substr(comma + 1));
        if(!lat || !lon)
            return std::nullopt;
        return geopoint{*lat, *lon};
    }
    return decode_geohash(s);
}

} // namespace detail

/** Reads a geopoint in any format Koncorde accepts.

    `[lat, lon]`; `"lat, lon"`; a geohash; `{lat, lon}` (numbers, or strings
    read as by `parseFloat`); `{latLon: ...}` or `{lat_lon: ...}` holding any
    of the former. Coordinates must be finite; a latitude beyond ±90 or a
    longitude beyond ±180 is refused.

    @return empty when `v` is none of these.
*/
inline std::optional<geopoint> parse_geopoint(boost::json::value const& v) noexcept
{
    std::optional<geopoint> p;
    if(auto const* a = v.if_array())
    {
        if(a->size() == 2 && (*a)[0].is_number() && (*a)[1].is_number())
            p = geopoint{(*a)[0].to_number<double>(), (*a)[1].to_number<double>()};
    }
    else if(auto const* s = v.if_string())
        p = detail::geopoint_of_string(*s);
    else if(auto const* o = v.if_object())
    {
        auto const* lat = o->if_contains("lat");
        auto const* lon = o->if_contains("lon");
        if(lat && lon)
        {
            auto const la = detail::number_of(*lat);
            auto const lo = detail::number_of(*lon);
            if(la && lo)
                p = geopoint{*la, *lo};
        }
        else if(auto const* inner = o->if_contains("latLon"))
            p = parse_geopoint(*inner);
        else if(auto const* snake = o->if_contains("lat_lon"))
            p = parse_geopoint(*snake);
    }
    if(p && (!std::isfinite(p->lat) || !std::isfinite(p->lon) || std::fabs(p->lat) > 90 || std::fabs(p->lon) > 180))
        return std::nullopt;
    return p;
}

/** Reads a distance string as Koncorde does, in meters.

    Spaces and `-` are removed, `,` is a decimal point, case is ignored; a
    number must be followed by a unit: `m`, `km`, `cm`, `mm`, `ft`, `in`,
    `yd`, `mi`, `nmi`, or their long names (`meters`, `kilometers`, `feet`,
    `inches`, `yards`, `miles`, ...). A bare number is refused, as Koncorde
    refuses it.
*/
inline std::optional<double> parse_distance(std::string_view text)
{
    std::string s;
    for(char c : text)
    {
        if(c == ' ' || c == '-' || c == '\t')
            continue;
        s.push_back(c == ',' ? '.' : static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
    double n = 0;
    auto const r = std::from_chars(s.data(), s.data() + s.size(), n);
    if(r.ec != std::errc() || !std::isfinite(n))
        return std::nullopt;
    std::string_view const unit(r.ptr, static_cast<std::size_t>(s.data() + s.size() - r.ptr));
    struct named
    {
        std::string_view name;
        double meters;
    };
    static constexpr named units[] = {
        {"m", 1},         {"meter", 1},          {"meters", 1},         {"metre", 1},       {"metres", 1},
        {"km", 1000},     {"kilometer", 1000},   {"kilometers", 1000},  {"kilometre", 1000}, {"kilometres", 1000},
        {"cm", 0.01},     {"centimeter", 0.01},  {"centimeters", 0.01}, {"mm", 0.001},      {"millimeter", 0.001},
        {"millimeters", 0.001}, {"ft", 0.3048},  {"foot", 0.3048},      {"feet", 0.3048},   {"in", 0.0254},
        {"inch", 0.0254}, {"inches", 0.0254},    {"yd", 0.9144},        {"yard", 0.9144},   {"yards", 0.9144},
        {"mi", 1609.344}, {"mile", 1609.344},    {"miles", 1609.344},   {"nmi", 1852},      {"nauticalmile", 1852},
        {"nauticalmiles", 1852},
    };
    for(auto const& u : units)
        if(u.name == unit)
            return n * u.meters;
    return std::nullopt;
}

namespace detail {

using geo_point_t = boost::geometry::model::point<double, 2, boost::geometry::cs::geographic<boost::geometry::degree>>;
using geo_polygon_t = boost::geometry::model::polygon<geo_point_t>;

} // namespace detail

/// The geodesic distance between two points on the WGS84 ellipsoid, in meters (Vincenty).
inline double geodesic_distance(geopoint const& a, geopoint const& b)
{
    namespace bg = boost::geometry;
    bg::strategy::distance::geographic<bg::strategy::vincenty> const strategy;
    return bg::distance(detail::geo_point_t(a.lon, a.lat), detail::geo_point_t(b.lon, b.lat), strategy);
}

/// A polygon on the ellipsoid, edges along geodesics, closed and oriented whatever order its points came in.
class geo_polygon
{
public:
    explicit geo_polygon(std::vector<geopoint> const& points)
    {
        for(auto const& p : points)
            poly_.outer().emplace_back(p.lon, p.lat);
        boost::geometry::correct(poly_);
    }

    /// True when `p` is inside or on the border.
    bool covers(geopoint const& p) const
    {
        return boost::geometry::covered_by(detail::geo_point_t(p.lon, p.lat), poly_);
    }

    /// The geodesic envelope (edges bulge towards a pole past their ends); across the antimeridian its east end passes 180.
    boost::geometry::model::box<detail::geo_point_t> envelope() const
    {
        boost::geometry::model::box<detail::geo_point_t> env;
        boost::geometry::envelope(poly_, env);
        return env;
    }

private:
    detail::geo_polygon_t poly_;
};

} // namespace rtnotify::rooms

#endif
