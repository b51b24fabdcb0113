// The Koncorde filter parser behind rooms::parse_filter: JSON in, a checked syntax tree or the error with its path out.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_ROOMS_DETAIL_FILTER_PARSER_HPP
#define RTNOTIFY_ROOMS_DETAIL_FILTER_PARSER_HPP

#include <rtnotify/rooms/filter.hpp>

#include <rtnotify/rooms/error.hpp>
#include <rtnotify/rooms/geo.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <boost/system/result.hpp>

#include <re2/re2.h>

#include <cmath>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace rtnotify::rooms {

namespace detail {

class filter_parser
{
public:
    explicit filter_parser(filter_options const& o) : opts_(o) {}

    boost::system::result<expr, filter_error> parse(json::value const& f)
    {
        expr e;
        if(!parse_expression(f, "", 0, e))
            return std::move(*error_);
        if(conditions_ > opts_.max_conditions)
            return filter_error{error::too_many_conditions, "",
                                "Filter too complex: exceeds the configured maximum number of conditions (conditions: " +
                                    std::to_string(conditions_) + ", max: " + std::to_string(opts_.max_conditions) + ")"};
        return e;
    }

private:
    bool fail(error code, std::string path, std::string message)
    {
        if(!error_)
            error_ = filter_error{code, std::move(path), std::move(message)};
        return false;
    }

    static std::string join(std::string_view path, std::string_view key)
    {
        return path.empty() ? std::string(key) : std::string(path) + '.' + std::string(key);
    }

    static expr leaf(term t)
    {
        expr e;
        e.leaf = std::move(t);
        return e;
    }

    static expr node(expr::kind k, std::vector<expr> children)
    {
        expr e;
        e.k = k;
        e.children = std::move(children);
        return e;
    }

    bool one_property(json::object const& o, std::string const& path, std::size_t n = 1)
    {
        if(o.size() == n)
            return true;
        return fail(error::bad_property, path,
                    "expected object to have exactly " + std::to_string(n) + (n == 1 ? " property" : " properties") +
                        ", got " + std::to_string(o.size()));
    }

    json::object const* object_of(json::value const& v, std::string const& path)
    {
        auto const* o = v.if_object();
        if(!o)
            fail(error::wrong_type, path, "must be an object");
        return o;
    }

    /// The single `field: value` of a term's object, with a non-empty field name.
    json::key_value_pair const* single_field(json::value const& v, std::string const& path)
    {
        auto const* o = object_of(v, path);
        if(!o || !one_property(*o, path))
            return nullptr;
        auto const& kv = *o->begin();
        if(kv.key().empty())
        {
            fail(error::empty, path, "cannot test empty field name");
            return nullptr;
        }
        return &kv;
    }

    bool parse_expression(json::value const& f, std::string const& path, std::size_t depth, expr& out)
    {
        if(depth > opts_.max_depth)
            return fail(error::too_deep, path, "nested too deeply");
        auto const* o = f.if_object();
        if(!o)
            return fail(error::not_object, path, "must be an object");
        if(o->empty())
        {
            out = leaf(everything_term{});
            return true;
        }
        if(o->size() != 1)
            return fail(error::one_keyword, path, "Invalid filter syntax. Filters must have one keyword only");
        auto const& kv = *o->begin();
        std::string const key(kv.key());
        auto const here = join(path, key);
        auto const& v = kv.value();
        if(key == "and" || key == "or")
            return parse_list(v, here, depth, key == "and" ? expr::kind::all_of : expr::kind::any_of, out);
        if(key == "not")
        {
            auto const* inner = v.if_object();
            if(!inner || inner->empty())
                return fail(error::wrong_type, here, "must be a non-empty object");
            expr e;
            if(!parse_expression(v, here, depth + 1, e))
                return false;
            out = node(expr::kind::negation, {std::move(e)});
            return true;
        }
        if(key == "bool")
            return parse_bool(v, here, depth, out);
        ++conditions_;
        if(key == "equals")
            return parse_equals(v, here, out);
        if(key == "in")
            return parse_in(v, here, out);
        if(key == "ids")
            return parse_ids(v, here, out);
        if(key == "exists" || key == "missing")
        {
            exists_term t;
            if(!parse_exists(v, here, t))
                return false;
            out = leaf(std::move(t));
            if(key == "missing")
                out = node(expr::kind::negation, {std::move(out)});
            return true;
        }
        if(key == "range")
            return parse_range(v, here, out);
        if(key == "regexp")
            return parse_regexp(v, here, out);
        if(key == "geoBoundingBox")
            return parse_geo_box(v, here, out);
        if(key == "geoDistance" || key == "geoDistanceRange")
            return parse_geo_distance(v, here, key == "geoDistanceRange", out);
        if(key == "geoPolygon")
            return parse_geo_polygon(v, here, out);
        if(key == "match")
        {
            auto const* m = v.if_object();
            if(!m || m->empty())
                return fail(error::wrong_type, here, "must be a non-empty object");
            out = leaf(match_term{*m});
            return true;
        }
        if(key == "select")
            return parse_select(v, here, depth, out);
        if(key == "nothing")
        {
            out = leaf(nothing_term{});
            return true;
        }
        --conditions_;
        return fail(error::unknown_keyword, here, "unknown keyword");
    }

    bool parse_children(json::value const& v, std::string const& path, std::size_t depth, std::vector<expr>& out)
    {
        auto const* a = v.if_array();
        if(!a)
            return fail(error::wrong_type, path, "must be an array");
        if(a->empty())
            return fail(error::empty, path, "cannot be empty");
        for(std::size_t i = 0; i < a->size(); ++i)
        {
            auto const* o = (*a)[i].if_object();
            if(!o || o->empty())
                return fail(error::wrong_type, path, "can only contain non-empty objects");
            expr e;
            if(!parse_expression((*a)[i], join(path, std::to_string(i)), depth + 1, e))
                return false;
            out.push_back(std::move(e));
        }
        return true;
    }

    bool parse_list(json::value const& v, std::string const& path, std::size_t depth, expr::kind k, expr& out)
    {
        std::vector<expr> children;
        if(!parse_children(v, path, depth, children))
            return false;
        out = node(k, std::move(children));
        return true;
    }

    /// `bool` = and[ ...must, not(or(must_not)), or(should), not(and(should_not)) ].
    bool parse_bool(json::value const& v, std::string const& path, std::size_t depth, expr& out)
    {
        auto const* o = v.if_object();
        if(!o || o->empty())
            return fail(error::wrong_type, path, "must be a non-empty object");
        std::vector<expr> all;
        for(auto const& kv : *o)
        {
            std::string const k(kv.key());
            if(k != "must" && k != "must_not" && k != "should" && k != "should_not")
                return fail(error::bad_property, path,
                            "\"" + k + "\" is not an allowed attribute (allowed: must,must_not,should,should_not)");
            std::vector<expr> children;
            if(!parse_children(kv.value(), join(path, k), depth, children))
                return false;
            if(k == "must")
                for(auto& c : children)
                    all.push_back(std::move(c));
            else if(k == "must_not")
                all.push_back(node(expr::kind::negation, {node(expr::kind::any_of, std::move(children))}));
            else if(k == "should")
                all.push_back(node(expr::kind::any_of, std::move(children)));
            else
                all.push_back(node(expr::kind::negation, {node(expr::kind::all_of, std::move(children))}));
        }
        out = node(expr::kind::all_of, std::move(all));
        return true;
    }

    bool parse_equals(json::value const& v, std::string const& path, expr& out)
    {
        auto const* kv = single_field(v, path);
        if(!kv)
            return false;
        auto const& x = kv->value();
        if(x.is_object() || x.is_array())
            return fail(error::wrong_type, join(path, kv->key()), "must either be a string, a number, a boolean, or null");
        out = leaf(equals_term{std::string(kv->key()), x});
        return true;
    }

    /// `in` and `ids`: an `or` of `equals`, one per value (each counts as a condition).
    bool equals_any(std::string field, json::value const& values, std::string const& path, expr& out)
    {
        auto const* a = values.if_array();
        if(!a)
            return fail(error::wrong_type, path, "must be an array");
        if(a->empty())
            return fail(error::empty, path, "cannot be empty");
        std::vector<expr> children;
        for(auto const& x : *a)
        {
            if(!x.is_string())
                return fail(error::wrong_type, path, "must hold only values of type \"string\"");
            children.push_back(leaf(equals_term{field, x}));
        }
        conditions_ += a->size() - 1;
        out = node(expr::kind::any_of, std::move(children));
        return true;
    }

    bool parse_in(json::value const& v, std::string const& path, expr& out)
    {
        auto const* kv = single_field(v, path);
        return kv && equals_any(std::string(kv->key()), kv->value(), join(path, kv->key()), out);
    }

    bool parse_ids(json::value const& v, std::string const& path, expr& out)
    {
        auto const* o = object_of(v, path);
        if(!o || !one_property(*o, path))
            return false;
        auto const* values = o->if_contains("values");
        if(!values)
            return fail(error::bad_property, path, "the property \"values\" is missing");
        return equals_any("_id", *values, join(path, "values"), out);
    }

    bool parse_exists(json::value const& v, std::string const& path, exists_term& out)
    {
        std::string spec;
        if(auto const* s = v.if_string())
            spec = *s;
        else if(auto const* o = v.if_object(); o && !o->empty())
        {
            if(!one_property(*o, path))
                return false;
            auto const* field = o->if_contains("field");
            if(!field)
                return fail(error::bad_property, path, "the property \"field\" is missing");
            if(!field->is_string())
                return fail(error::wrong_type, join(path, "field"), "must be a string");
            spec = field->get_string();
        }
        else
            return fail(error::wrong_type, path, "must be either a string or a non-empty object");
        if(spec.empty())
            return fail(error::empty, path, "cannot test empty field name");
        // `path[value]`, the last `[` not preceded by a backslash; `\[` and `\]` are literal brackets
        std::optional<std::size_t> open;
        if(spec.size() >= 3 && spec.back() == ']')
            for(std::size_t i = 1; i + 1 < spec.size(); ++i)
                if(spec[i] == '[' && spec[i - 1] != '\\')
                {
                    open = i;
                    break;
                }
        std::string field = open ? spec.substr(0, *open) : spec;
        if(open)
        {
            auto const inner = std::string_view(spec).substr(*open + 1, spec.size() - *open - 2);
            boost::system::error_code ec;
            auto value = json::parse(inner, ec);
            if(ec)
                return fail(error::wrong_type, path, "contains an invalid array value (\"" + std::string(inner) + "\")");
            out.array_value = std::move(value);
        }
        std::string unescaped;
        for(std::size_t i = 0; i < field.size(); ++i)
        {
            if(field[i] == '\\' && i + 1 < field.size() && (field[i + 1] == '[' || field[i + 1] == ']'))
                continue;
            unescaped.push_back(field[i]);
        }
        out.field = std::move(unescaped);
        return true;
    }

    bool parse_range(json::value const& v, std::string const& path, expr& out)
    {
        auto const* kv = single_field(v, path);
        if(!kv)
            return false;
        auto const here = join(path, kv->key());
        auto const* b = kv->value().if_object();
        if(!b || b->empty())
            return fail(error::wrong_type, here, "must be a non-empty object");
        range_term t;
        t.field = kv->key();
        for(auto const& bound : *b)
        {
            std::string const k(bound.key());
            auto const at = join(here, k);
            std::optional<double>* slot = k == "gt" ? &t.gt : k == "gte" ? &t.gte : k == "lt" ? &t.lt : k == "lte" ? &t.lte : nullptr;
            if(!slot)
                return fail(error::bad_property, here, "\"" + k + "\" is not an allowed attribute (allowed: gt,gte,lt,lte)");
            if(!bound.value().is_number())
                return fail(error::wrong_type, at, "must be a number");
            *slot = bound.value().to_number<double>();
        }
        if(t.gt && t.gte)
            return fail(error::bad_range, here, "only 1 lower boundary allowed");
        if(t.lt && t.lte)
            return fail(error::bad_range, here, "only 1 upper boundary allowed");
        auto const low = t.gt ? t.gt : t.gte;
        auto const high = t.lt ? t.lt : t.lte;
        if(low && high && !(*low < *high))
            return fail(error::bad_range, here, "lower boundary must be strictly inferior to the upper one");
        out = leaf(std::move(t));
        return true;
    }

    bool parse_regexp(json::value const& v, std::string const& path, expr& out)
    {
        auto const* kv = single_field(v, path);
        if(!kv)
            return false;
        auto const here = join(path, kv->key());
        regexp_term t;
        t.field = kv->key();
        if(auto const* s = kv->value().if_string())
            t.pattern = *s;
        else if(auto const* o = kv->value().if_object())
        {
            for(auto const& p : *o)
                if(p.key() != "value" && p.key() != "flags")
                    return fail(error::bad_property, here,
                                "\"" + std::string(p.key()) + "\" is not an allowed attribute (allowed: flags,value)");
            auto const* value = o->if_contains("value");
            if(!value)
                return fail(error::bad_property, here, "the property \"value\" is missing");
            if(!value->is_string())
                return fail(error::wrong_type, join(here, "value"), "must be a string");
            t.pattern = value->get_string();
            if(auto const* flags = o->if_contains("flags"))
            {
                if(!flags->is_string())
                    return fail(error::wrong_type, join(here, "flags"), "must be a string");
                t.flags = flags->get_string();
            }
        }
        else
            return fail(error::wrong_type, here, "must be a string or an object");
        re2::RE2::Options options;
        options.set_log_errors(false);
        options.set_max_mem(8 << 20);
        std::string prefix;
        for(char c : t.flags)
        {
            if(c == 'i' || c == 'm' || c == 's')
                prefix += c;
            else if(c != 'u' && c != 'g' && c != 'y') // g and y only make JavaScript's test() stateful
                return fail(error::bad_regexp, here, "unknown regexp flag \"" + std::string(1, c) + "\"");
        }
        auto re = std::make_shared<re2::RE2 const>(prefix.empty() ? t.pattern : "(?" + prefix + ")" + t.pattern,
                                                   options);
        if(!re->ok())
            return fail(error::bad_regexp, here,
                        "cannot parse regexp expression \"/" + t.pattern + "/" + t.flags + "\" (" + re->error() + ")");
        t.re = std::move(re);
        out = leaf(std::move(t));
        return true;
    }

    std::optional<geopoint> point(json::value const& v, std::string const& path)
    {
        auto p = parse_geopoint(v);
        if(!p)
            fail(error::bad_geo, path, "unrecognized geo-point format");
        return p;
    }

    std::optional<double> distance(json::value const& v, std::string const& path)
    {
        auto const* s = v.if_string();
        auto d = s ? parse_distance(*s) : std::nullopt;
        if(!d)
            fail(error::bad_geo, path, "unable to parse distance value \"" + (s ? std::string(*s) : json::serialize(v)) + "\"");
        return d;
    }

    bool parse_geo_box(json::value const& v, std::string const& path, expr& out)
    {
        auto const* kv = single_field(v, path);
        if(!kv)
            return false;
        auto const here = join(path, kv->key());
        auto const* b = kv->value().if_object();
        if(!b)
            return fail(error::wrong_type, here, "must be an object");
        auto get = [&](char const* camel, char const* snake) -> json::value const* {
            if(auto const* x = b->if_contains(camel))
                return x;
            return b->if_contains(snake);
        };
        geo_box_term t;
        t.field = kv->key();
        if(auto const *tl = get("topLeft", "top_left"), *br = get("bottomRight", "bottom_right"); tl && br)
        {
            auto const a = point(*tl, here);
            auto const z = point(*br, here);
            if(!a || !z)
                return false;
            t.top = a->lat, t.left = a->lon, t.bottom = z->lat, t.right = z->lon;
        }
        else
        {
            double* slots[] = {&t.top, &t.left, &t.bottom, &t.right};
            char const* names[] = {"top", "left", "bottom", "right"};
            for(int i = 0; i < 4; ++i)
            {
                auto const* x = b->if_contains(names[i]);
                auto const n = x ? detail::number_of(*x) : std::nullopt;
                if(!n)
                    return fail(error::bad_geo, here, "unrecognized geo-bounding box format");
                *slots[i] = *n;
            }
        }
        if(std::fabs(t.top) > 90 || std::fabs(t.bottom) > 90 || std::fabs(t.left) > 180 || std::fabs(t.right) > 180)
            return fail(error::bad_geo, here, "coordinates out of range");
        if(t.top <= t.bottom)
            return fail(error::bad_geo, here, "top must be greater than bottom");
        if(t.left >= t.right)
            return fail(error::bad_geo, here, "left must be smaller than right (boxes across the antimeridian are not supported)");
        out = leaf(std::move(t));
        return true;
    }

    bool parse_geo_distance(json::value const& v, std::string const& path, bool is_range, expr& out)
    {
        auto const* o = object_of(v, path);
        if(!o || !one_property(*o, path, is_range ? 3 : 2))
            return false;
        geo_distance_term t;
        json::value const* center = nullptr;
        for(auto const& kv : *o)
            if(kv.key() != (is_range ? "from" : "distance") && kv.key() != (is_range ? "to" : "distance"))
            {
                t.field = kv.key();
                center = &kv.value();
            }
        char const* const needed[] = {is_range ? "from" : "distance", is_range ? "to" : "distance"};
        for(auto const* n : needed)
            if(!o->contains(n))
                return fail(error::bad_property, path, "the property \"" + std::string(n) + "\" is missing");
        if(!center || t.field.empty())
            return fail(error::bad_property, path, "a field holding the center is missing");
        auto const c = point(*center, join(path, t.field));
        if(!c)
            return false;
        t.center = *c;
        if(is_range)
        {
            auto const from = distance(o->at("from"), join(path, "from"));
            auto const to = distance(o->at("to"), join(path, "to"));
            if(!from || !to)
                return false;
            if(!(*from < *to))
                return fail(error::bad_geo, path, "inner radius must be smaller than outer radius");
            t.from = *from, t.to = *to;
        }
        else
        {
            auto const d = distance(o->at("distance"), join(path, "distance"));
            if(!d)
                return false;
            t.to = *d;
        }
        out = leaf(std::move(t));
        return true;
    }

    bool parse_geo_polygon(json::value const& v, std::string const& path, expr& out)
    {
        auto const* kv = single_field(v, path);
        if(!kv)
            return false;
        auto const here = join(path, kv->key());
        auto const* o = kv->value().if_object();
        auto const* pts = o ? o->if_contains("points") : nullptr;
        if(!pts || !pts->is_array())
            return fail(error::bad_property, here, "the property \"points\" is missing or not an array");
        if(pts->get_array().size() < 3)
            return fail(error::bad_geo, join(here, "points"), "at least 3 points are required to build a polygon");
        geo_polygon_term t;
        t.field = kv->key();
        for(auto const& p : pts->get_array())
        {
            auto const g = point(p, join(here, "points"));
            if(!g)
                return false;
            t.points.push_back(*g);
        }
        t.shape = std::make_shared<geo_polygon const>(t.points);
        out = leaf(std::move(t));
        return true;
    }

    bool parse_select(json::value const& v, std::string const& path, std::size_t depth, expr& out)
    {
        auto const* o = object_of(v, path);
        if(!o || !one_property(*o, path, 3))
            return false;
        for(auto const* n : {"field", "index", "query"})
            if(!o->contains(n))
                return fail(error::bad_property, path, "the property \"" + std::string(n) + "\" is missing");
        auto const& field = o->at("field");
        if(!field.is_string() || field.get_string().empty())
            return fail(error::wrong_type, join(path, "field"), "must be a non-empty string");
        auto const& index = o->at("index");
        std::optional<std::int64_t> i;
        if(index.is_int64())
            i = index.get_int64();
        else if(index.is_double() && std::trunc(index.get_double()) == index.get_double() &&
                std::fabs(index.get_double()) < 9.0e15)
            i = static_cast<std::int64_t>(index.get_double());
        else if(index.is_double())
            return fail(error::wrong_type, join(path, "index"), "cannot have decimals, must be an integer");
        if(!i)
            return fail(error::wrong_type, join(path, "index"), "must be an integer");
        auto const* q = o->at("query").if_object();
        if(!q || q->empty())
            return fail(error::wrong_type, join(path, "query"), "must be a non-empty object");
        auto query = std::make_shared<expr>();
        if(!parse_expression(o->at("query"), join(path, "query"), depth + 1, *query))
            return false;
        out = leaf(select_term{std::string(field.get_string()), *i, std::move(query)});
        return true;
    }

    filter_options opts_;
    std::size_t conditions_ = 0;
    std::optional<filter_error> error_;
};

} // namespace detail

inline boost::system::result<expr, filter_error> parse_filter(json::value const& filter,
                                                              filter_options const& opts)
{
    return detail::filter_parser(opts).parse(filter);
}

} // namespace rtnotify::rooms

#endif
