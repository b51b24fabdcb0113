// Tests of rtnotify/rooms/detail/geo_index.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/rooms/detail/geo_index.hpp>

#include <boost/geometry/formulas/vincenty_direct.hpp>
#include <boost/geometry/srs/spheroid.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <numbers>
#include <random>
#include <vector>

namespace {

namespace rooms = rtnotify::rooms;
namespace detail = rtnotify::rooms::detail;

bool inside(std::vector<detail::lonlat_box> const& boxes, rooms::geopoint const& p)
{
    return std::any_of(boxes.begin(), boxes.end(), [&](detail::lonlat_box const& b) {
        return p.lon >= b.min_lon && p.lon <= b.max_lon && p.lat >= b.min_lat && p.lat <= b.max_lat;
    });
}

/// The point `meters` away from `from` towards `azimuth` (degrees), on WGS84.
rooms::geopoint travel(rooms::geopoint const& from, double meters, double azimuth)
{
    constexpr double rad = std::numbers::pi / 180;
    auto const r = boost::geometry::formula::vincenty_direct<double>::apply(
        from.lon * rad, from.lat * rad, meters, azimuth * rad, boost::geometry::srs::spheroid<double>());
    double lon = r.lon2 / rad;
    lon = lon > 180 ? lon - 360 : lon < -180 ? lon + 360 : lon;
    return {r.lat2 / rad, lon};
}

std::vector<std::uint32_t> stab(detail::geo_index const& ix, rooms::geopoint const& p)
{
    std::vector<std::uint32_t> hit;
    ix.stab(p, [&](std::uint32_t s) { hit.push_back(s); });
    std::sort(hit.begin(), hit.end());
    hit.erase(std::unique(hit.begin(), hit.end()), hit.end());
    return hit;
}

// Every point within a disc lies in its boxes, wherever the disc is: at the
// equator, near a pole, across the antimeridian, from a meter to thousands
// of kilometers. Points on the rim come from the direct geodesic problem.
TEST(RoomsGeoIndex, DistanceBoxesHoldTheDisc)
{
    std::mt19937 rng(11);
    std::uniform_real_distribution<double> unit(0, 1);
    std::vector<rooms::geopoint> const centers = {{0, 0}, {45, 179.9}, {-45, -179.99}, {89.9, 10}, {-89.5, 0}, {60, -120}};
    for(double radius : {1.0, 800.0, 25e3, 600e3, 3e6, 9e6})
        for(auto const& c : centers)
        {
            rooms::geo_distance_term t;
            t.center = c;
            t.to = radius;
            auto const boxes = detail::bounds_of(t);
            ASSERT_FALSE(boxes.empty());
            for(int k = 0; k < 400; ++k)
            {
                auto const p = travel(c, radius * (k % 4 == 0 ? 1 : unit(rng)), 360 * unit(rng));
                ASSERT_LE(rooms::geodesic_distance(c, p), radius * (1 + 1e-6) + 1e-3); // the rim, up to rounding
                ASSERT_TRUE(inside(boxes, p)) << "center " << c.lat << "," << c.lon << " radius " << radius << " point "
                                              << p.lat << "," << p.lon;
            }
        }
}

// The boxes stay small: a 1 km disc at 45° spans well under a hundredth of a degree each way.
TEST(RoomsGeoIndex, DistanceBoxesAreTight)
{
    rooms::geo_distance_term t;
    t.center = {45, 3};
    t.to = 1000;
    auto const boxes = detail::bounds_of(t);
    ASSERT_EQ(boxes.size(), 1u);
    EXPECT_LT(boxes[0].max_lat - boxes[0].min_lat, 0.02);
    EXPECT_LT(boxes[0].max_lon - boxes[0].min_lon, 0.03);

    t.center = {10, 179.999}; // across the antimeridian: two boxes
    EXPECT_EQ(detail::bounds_of(t).size(), 2u);
    t.center = {89.999, 0}; // reaches the pole: every longitude
    auto const polar = detail::bounds_of(t);
    ASSERT_EQ(polar.size(), 1u);
    EXPECT_EQ(polar[0].min_lon, -180);
    EXPECT_EQ(polar[0].max_lon, 180);
}

// Every point a polygon covers lies in its boxes, geodesic edges bulging
// poleward included (an edge along the 60th parallel's ends passes north of it).
TEST(RoomsGeoIndex, PolygonBoxesHoldThePolygon)
{
    std::mt19937 rng(5);
    std::uniform_real_distribution<double> unit(0, 1);
    std::vector<std::vector<rooms::geopoint>> const shapes = {
        {{60, 0}, {60, 90}, {50, 45}},                 // a long edge bulging north
        {{-60, -10}, {-60, 80}, {-50, 30}},            // and south
        {{10, 170}, {10, -170}, {-10, -170}, {-10, 170}}, // across the antimeridian
        {{43, 3}, {44, 3}, {44, 4}, {43, 4}},
        {{0, 0}, {1, 0.5}, {0, 1}},
    };
    for(auto const& points : shapes)
    {
        rooms::geo_polygon_term t;
        t.points = points;
        t.shape = std::make_shared<rooms::geo_polygon const>(points);
        auto const boxes = detail::bounds_of(t);
        ASSERT_FALSE(boxes.empty());
        std::size_t covered = 0;
        for(int k = 0; k < 20000; ++k)
        {
            rooms::geopoint const p{-90 + 180 * unit(rng), -180 + 360 * unit(rng)};
            // half the points near the first vertex's latitude band, where the shape is
            rooms::geopoint const q{std::clamp(points[0].lat + 30 * (unit(rng) - 0.5) * 2, -90.0, 90.0), p.lon};
            for(auto const& x : {p, q})
                if(t.shape->covers(x))
                {
                    ++covered;
                    ASSERT_TRUE(inside(boxes, x)) << x.lat << "," << x.lon;
                }
        }
        EXPECT_GT(covered, 0u);
    }
}

// A polygon with a vertex on a pole is not bounded by its envelope in
// Boost.Geometry's containment test: the index takes it as the whole globe.
TEST(RoomsGeoIndex, PolygonOnAPoleSpansTheGlobe)
{
    std::vector<rooms::geopoint> const points = {{43.63, 3.99}, {90, 9.97}, {43.54, 3.84}};
    rooms::geo_polygon_term t;
    t.points = points;
    t.shape = std::make_shared<rooms::geo_polygon const>(points);
    EXPECT_EQ(detail::bounds_of(t), (std::vector<detail::lonlat_box>{detail::lonlat_box{}}));
}

TEST(RoomsGeoIndex, EmptyBoxAndStab)
{
    rooms::geo_box_term box;
    box.top = 10, box.bottom = 20, box.left = 0, box.right = 1; // top below bottom: no point
    EXPECT_TRUE(detail::bounds_of(box).empty());

    detail::geo_index ix;
    ix.add({{0, 0, 10, 10}}, 1);
    ix.add({{5, 5, 15, 15}}, 2);
    ix.add({{170, -5, 180, 5}, {-180, -5, -170, 5}}, 3);
    using slots = std::vector<std::uint32_t>;
    EXPECT_EQ(stab(ix, {5, 5}), (slots{1, 2}));  // {lat, lon}; borders included
    EXPECT_EQ(stab(ix, {0, 10}), (slots{1}));
    EXPECT_EQ(stab(ix, {0, -175}), (slots{3}));
    EXPECT_EQ(stab(ix, {0, 175}), (slots{3}));
    EXPECT_TRUE(stab(ix, {50, 50}).empty());
    ix.remove({{0, 0, 10, 10}}, 1);
    EXPECT_EQ(stab(ix, {5, 5}), (slots{2}));
    ix.remove({{170, -5, 180, 5}, {-180, -5, -170, 5}}, 3);
    ix.remove({{5, 5, 15, 15}}, 2);
    EXPECT_TRUE(ix.empty());
}

} // namespace
