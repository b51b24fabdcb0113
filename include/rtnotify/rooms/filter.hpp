// The Koncorde filter DSL: its syntax tree and the parser that checks it.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_ROOMS_FILTER_HPP
#define RTNOTIFY_ROOMS_FILTER_HPP

#include <rtnotify/rooms/error.hpp>
#include <rtnotify/rooms/geo.hpp>

#include <boost/json/value.hpp>
#include <boost/system/result.hpp>

#include <re2/re2.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace rtnotify::rooms {

namespace json = boost::json;

/// Matches every document (the empty filter `{}`).
struct everything_term
{
};

/// Matches no document (`nothing`, and what normalization proves impossible).
struct nothing_term
{
};

/// `equals` (and the `in` and `ids` values): the field holds this scalar, type and value.
struct equals_term
{
    std::string field;
    json::value value; ///< string, number, boolean or null
};

/// `exists` (and `missing`, negated): the field is present; with `array_value`, it is an array holding that value.
struct exists_term
{
    std::string field;
    std::optional<json::value> array_value;
};

/// `range`: the field is a number within the bounds.
struct range_term
{
    std::string field;
    std::optional<double> gt, gte, lt, lte;
};

/// `regexp`: the field is a string in which the pattern is found (RE2, unanchored).
struct regexp_term
{
    std::string field;
    std::string pattern;
    std::string flags;
    std::shared_ptr<re2::RE2 const> re;
};

/// `geoBoundingBox`: the field's geopoint is inside the box, borders included.
struct geo_box_term
{
    std::string field;
    double top = 0, left = 0, bottom = 0, right = 0;
};

/// `geoDistance` (`from` 0) and `geoDistanceRange`: the geodesic distance to `center`, in meters, is within [from, to].
struct geo_distance_term
{
    std::string field;
    geopoint center;
    double from = 0;
    double to = 0;
};

/// `geoPolygon`: the field's geopoint is inside the polygon (geodesic edges), borders included.
struct geo_polygon_term
{
    std::string field;
    std::vector<geopoint> points;
    std::shared_ptr<geo_polygon const> shape;
};

/// `match`: the document contains this object (recursively; arrays element by distinct element).
struct match_term
{
    json::object value;
};

struct expr;

/// `select`: element `index` of the array field (negative: from the end) satisfies `query`, whose fields start with `value`.
struct select_term
{
    std::string field;
    std::int64_t index = 0;
    std::shared_ptr<expr const> query;
};

/// One condition of a filter.
using term = std::variant<everything_term, nothing_term, equals_term, exists_term, range_term, regexp_term,
                          geo_box_term, geo_distance_term, geo_polygon_term, match_term, select_term>;

/** A filter as a tree of `and`, `or`, `not` over terms.

    `in`, `ids`, `missing` and `bool` do not appear: parsing rewrites them
    (`or` of `equals`, `not exists`, `and`/`or`/`not`).
*/
struct expr
{
    enum class kind
    {
        leaf,
        all_of, ///< and
        any_of, ///< or
        negation,
    };
    kind k = kind::leaf;
    term leaf;
    std::vector<expr> children;
};

/// Limits of `parse_filter`; the defaults are safe for filters from the network.
struct filter_options
{
    std::size_t max_conditions = 50; ///< terms after `in`/`ids` expansion (Koncorde's default)
    std::size_t max_depth = 32;      ///< nesting of `and`/`or`/`not`/`bool`/`select`
};

/** Parses and validates a filter of the Koncorde DSL.

    Every keyword of Koncorde 4 is accepted (see docs/rooms.md), including
    filters Koncorde itself fails on: geo terms inside negated `and`/`or`,
    and a negated `select`. A refused filter gets the error, the dotted path
    of the offending keyword and Koncorde's wording where it has one.
*/
inline boost::system::result<expr, filter_error> parse_filter(json::value const& filter,
                                                              filter_options const& opts = {});

} // namespace rtnotify::rooms

#include <rtnotify/rooms/detail/filter_parser.hpp>

#endif
