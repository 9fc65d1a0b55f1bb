/* REE web chat: how numbers, dates and filters read, in Vietnamese (default) or English.
 *
 * `REEFormat.formatter(lang)` returns the display functions for one answer's language
 * ("vi" | "en", from the response's `language`); the page's own chrome stays Vietnamese.
 * Pure functions only: no DOM, no network.
 */
"use strict";

window.REEFormat = (() => {
  const WORDS = {
    vi: {
      locale: "vi-VN", billion: "tỷ", million: "triệu", dong: "đ", perMonth: "/tháng",
      negotiable: "Thỏa thuận", bedrooms: "PN", bathrooms: "WC", direction: "Hướng",
      sale: "Mua bán", rent: "Cho thuê", source: "Xem nguồn", sourceOf: "Xem nguồn: ",
      justNow: "đăng vừa xong", hoursAgo: (n) => `đăng ${n} giờ trước`,
      daysAgo: (n) => `đăng ${n} ngày trước`, monthsAgo: (n) => `đăng ${n} tháng trước`,
      yearsAgo: (n) => `đăng ${n} năm trước`, time: "Thời gian", tier: "tầng",
      fallbacks: "dự phòng", cached: "từ bộ nhớ đệm", listings: (n) => `${n} tin đăng`,
      filtersLabel: "Bộ lọc đang áp dụng",
      types: {
        apartment: "Căn hộ", house: "Nhà riêng", townhouse: "Nhà phố", villa: "Biệt thự",
        land: "Đất", shophouse: "Shophouse", room: "Phòng trọ", office: "Văn phòng",
        warehouse: "Kho xưởng", other: "Khác",
      },
      directions: {
        north: "Bắc", north_east: "Đông Bắc", east: "Đông", south_east: "Đông Nam",
        south: "Nam", south_west: "Tây Nam", west: "Tây", north_west: "Tây Bắc",
      },
      legal: {
        pink_book: "Sổ hồng", red_book: "Sổ đỏ", sale_contract: "HĐMB",
        pending: "Đang chờ sổ", other: "Pháp lý khác",
      },
      features: {
        pool: "Hồ bơi", gym: "Gym", elevator: "Thang máy", parking: "Chỗ đậu xe",
        car_alley: "Hẻm xe hơi", street_front: "Mặt tiền", near_school: "Gần trường",
        near_metro: "Gần metro", river_view: "View sông", garden: "Sân vườn",
        balcony: "Ban công", security: "An ninh 24/7", furnished: "Full nội thất",
      },
      sorts: {
        price_asc: "Giá tăng dần", price_desc: "Giá giảm dần", newest: "Mới nhất",
        area_desc: "Diện tích lớn nhất",
      },
    },
    en: {
      locale: "en-US", billion: "billion", million: "million", dong: "VND", perMonth: "/month",
      negotiable: "Negotiable", bedrooms: "BR", bathrooms: "bath", direction: "Facing",
      sale: "For sale", rent: "For rent", source: "View source", sourceOf: "View source: ",
      justNow: "posted just now", hoursAgo: (n) => `posted ${n} h ago`,
      daysAgo: (n) => `posted ${n} day${n === 1 ? "" : "s"} ago`,
      monthsAgo: (n) => `posted ${n} month${n === 1 ? "" : "s"} ago`,
      yearsAgo: (n) => `posted ${n} year${n === 1 ? "" : "s"} ago`, time: "Time",
      tier: "tier", fallbacks: "fallbacks", cached: "cached",
      listings: (n) => `${n} listing${n === 1 ? "" : "s"}`, filtersLabel: "Active filters",
      types: {
        apartment: "Apartment", house: "House", townhouse: "Townhouse", villa: "Villa",
        land: "Land", shophouse: "Shophouse", room: "Room", office: "Office",
        warehouse: "Warehouse", other: "Other",
      },
      directions: {
        north: "north", north_east: "north-east", east: "east", south_east: "south-east",
        south: "south", south_west: "south-west", west: "west", north_west: "north-west",
      },
      legal: {
        pink_book: "Pink book", red_book: "Red book", sale_contract: "Sale contract",
        pending: "Title pending", other: "Other title",
      },
      features: {
        pool: "Pool", gym: "Gym", elevator: "Elevator", parking: "Parking",
        car_alley: "Car alley", street_front: "Street front", near_school: "Near school",
        near_metro: "Near metro", river_view: "River view", garden: "Garden",
        balcony: "Balcony", security: "24/7 security", furnished: "Furnished",
      },
      sorts: {
        price_asc: "Cheapest first", price_desc: "Priciest first", newest: "Newest",
        area_desc: "Largest first",
      },
    },
  };

  const known = (x) => x !== null && x !== undefined && x !== "" && Number.isFinite(Number(x));

  function formatter(lang) {
    const w = WORDS[lang] || WORDS.vi;
    const number = (value, digits) =>
      new Intl.NumberFormat(w.locale, { maximumFractionDigits: digits }).format(value);

    /** "4,2 tỷ" / "4.2 billion", "850 triệu", "12 triệu/tháng" when rented. */
    function price(vnd, rent = false) {
      if (!known(vnd)) return w.negotiable;
      const v = Number(vnd);
      let text;
      if (v >= 1e9) text = `${number(v / 1e9, 2)} ${w.billion}`;
      else if (v >= 1e6) text = `${number(v / 1e6, 1)} ${w.million}`;
      else text = `${number(v, 0)} ${w.dong}`;
      return rent ? `${text}${w.perMonth}` : text;
    }

    const area = (m2) => (known(m2) ? `${number(Number(m2), 1)} m²` : null);
    const bedrooms = (n) => (known(n) ? `${n} ${w.bedrooms}` : null);

    /** "đăng 3 ngày trước" from an ISO timestamp; null when absent or unparsable. */
    function posted(iso, now = Date.now()) {
      const t = iso ? Date.parse(iso) : Number.NaN;
      if (Number.isNaN(t)) return null;
      const hours = Math.floor(Math.max(0, now - t) / 3_600_000);
      if (hours < 1) return w.justNow;
      if (hours < 24) return w.hoursAgo(hours);
      const days = Math.floor(hours / 24);
      if (days < 30) return w.daysAgo(days);
      if (days < 365) return w.monthsAgo(Math.floor(days / 30));
      return w.yearsAgo(Math.floor(days / 365));
    }

    function range(min, max, fmt) {
      const has = (x) => x !== null && x !== undefined;
      if (has(min) && has(max)) return min === max ? fmt(min) : `${fmt(min)} – ${fmt(max)}`;
      if (has(max)) return `≤ ${fmt(max)}`;
      if (has(min)) return `≥ ${fmt(min)}`;
      return null;
    }

    /** The effective filters as short labels, e.g. ["Quận 7", "≤ 4 tỷ", "2 PN"]. */
    function filters(f) {
      if (!f || typeof f !== "object") return [];
      const rent = f.transaction === "rent";
      const list = (xs, map) => (Array.isArray(xs) ? xs.map((x) => (map && map[x]) || String(x)) : []);
      const out = [];
      if (f.transaction) out.push(rent ? w.rent : w.sale);
      out.push(...list(f.property_types, w.types));
      if (f.project) out.push(String(f.project));
      out.push(...list(f.streets), ...list(f.wards), ...list(f.districts));
      if (f.province) out.push(String(f.province));
      out.push(range(f.price_min, f.price_max, (v) => price(v, rent)));
      out.push(range(f.area_min, f.area_max, area));
      out.push(range(f.bedrooms_min, f.bedrooms_max, bedrooms));
      if (known(f.bathrooms_min)) out.push(`≥ ${f.bathrooms_min} ${w.bathrooms}`);
      out.push(...list(f.directions, w.directions).map((d) => `${w.direction} ${d}`));
      out.push(...list(f.legal, w.legal), ...list(f.features, w.features));
      if (f.sort && w.sorts[f.sort]) out.push(w.sorts[f.sort]);
      return out.filter(Boolean);
    }

    return { words: w, number, price, area, bedrooms, posted, filters };
  }

  return { formatter };
})();
