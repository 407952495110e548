// The bulletin's web editor: Decap CMS with the project's file format, widgets, Vietnamese and article preview.
// Everything it shows comes from config.json, which the build generates from the schema and the unit registry.
(function () {
  'use strict';

  var h = window.h;
  var createClass = window.createClass;
  var VN_OFFSET = 7 * 60;  // minutes: Việt Nam has no daylight saving time
  var WEEKDAYS = ['Chủ nhật', 'Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy'];
  var FIRST_YEAR = 1930;
  var LAST_YEAR = 2100;
  var bulletin = {};  // config.json's "bulletin" part: units, terms, tags, the site's stylesheet

  // ---------------------------------------------------------------- small helpers

  function toArray(value) {
    if (!value) return [];
    if (typeof value.toJS === 'function') return value.toJS();
    return Array.isArray(value) ? value.slice() : [String(value)];
  }

  function pad(number) {
    return (number < 10 ? '0' : '') + number;
  }

  function nfc(text) {
    return String(text == null ? '' : text).normalize('NFC');
  }

  // Lower case, marks dropped, đ -> d: what an editor may type to find a unit.
  function fold(text) {
    return nfc(text).toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd');
  }

  // One tone placement for open oa, oe, uy syllables (hoà -> hòa, uỷ -> ủy), as text.py canon() does: never after
  // qu- (quả, quý), never before a final consonant (hoàng, khuỷu stay).
  var TONES = '\u0300\u0309\u0303\u0301\u0323';
  var CONSONANTS = 'bcdđghklmnpqrstvx';

  function canonWord(word) {
    var chars = Array.from(word.normalize('NFD'));
    var tones = chars.filter(function (c) { return TONES.indexOf(c) >= 0; });
    if (tones.length !== 1) return word;
    var bare = chars.filter(function (c) { return TONES.indexOf(c) < 0; });
    var lower = bare.join('').toLowerCase();
    var pair = lower.slice(-2);
    if (lower.length < 2 || ['oa', 'oe', 'uy'].indexOf(pair) < 0) return word;
    var onset = lower.slice(0, -2);
    if (onset === 'q' || Array.from(onset).some(function (c) { return CONSONANTS.indexOf(c) < 0; })) return word;
    var bases = [];
    bare.forEach(function (c, i) { if (!/\p{M}/u.test(c)) bases.push(i); });
    var at = bases[bases.length - 2] + 1;
    while (at < bare.length && /\p{M}/u.test(bare[at])) at++;
    bare.splice(at, 0, tones[0]);
    return bare.join('').normalize('NFC');
  }

  // The key under which two spellings of one name compare equal (text.py lookup_key): case, spaces, tone placement.
  function lookupKey(text) {
    return nfc(text).replace(/Ð/g, 'Đ').replace(/ð/g, 'đ').replace(/\p{L}+/gu, canonWord).toLowerCase().split(/\s+/).filter(Boolean).join(' ');
  }

  function sameName(a, b) {
    return lookupKey(a) === lookupKey(b);
  }

  // A photo's file name as the site can serve it (schema.static_file_errors' rule): its last part only, ASCII
  // without marks, words joined by "-". Decap would keep "../../Hội trường.jpg" as "..-..-hoi-truong.jpg", a
  // hidden file that the site never copies.
  function safeFileName(name) {
    var base = String(name).split(/[\\/]/).pop();
    var dot = base.lastIndexOf('.');
    var stem = dot > 0 ? base.slice(0, dot) : base;
    var extension = dot > 0 ? base.slice(dot).toLowerCase().replace(/[^.a-z0-9]/g, '') : '';
    return (fold(stem).replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'anh') + extension;
  }

  // A picked file's name on the site: safeFileName and a short mark of the file itself (its size and last change).
  // Phones and cameras reuse names (IMG_0001.JPG, anh.jpg): two different photos picked for two articles of one year
  // would otherwise be one file in content/images/<year>/, the second replacing the first article's photo when it is
  // published. The same file picked again keeps its name.
  function pickedFileName(file) {
    var name = safeFileName(file.name);
    var dot = name.lastIndexOf('.');
    var key = file.size + ':' + file.lastModified;
    var hash = 0x811c9dc5;  // FNV-1a, 32 bits
    for (var i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
    var mark = '-' + (hash >>> 0).toString(36);
    return dot > 0 ? name.slice(0, dot) + mark + name.slice(dot) : name + mark;
  }

  // Rename the files an editor picks before Decap reads them (this listener runs before React's).
  function renamePickedFiles(event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || input.type !== 'file' || !input.files || !input.files.length) return;
    var renamed = new DataTransfer();
    Array.from(input.files).forEach(function (file) {
      renamed.items.add(new File([file], pickedFileName(file), {type: file.type, lastModified: file.lastModified}));
    });
    input.files = renamed.files;
  }

  // Decap asks with the browser's own dialog, in English, before it replaces a photo of the same name (the same file
  // picked twice): ask in Vietnamese.
  var ENGLISH_QUESTIONS = [[/^(.+) already exists\. Do you want to replace it\?$/, 'Đã có ảnh “$1”. Thay ảnh đó bằng ảnh vừa chọn?']];

  function askInVietnamese(ask) {
    return function (message) {
      var text = String(message);
      ENGLISH_QUESTIONS.forEach(function (pair) { text = text.replace(pair[0], pair[1]); });
      return ask.call(window, text);
    };
  }

  // Decap shows a failed request as "Không lưu được bài: API_ERROR: <the server's Vietnamese sentence>": drop the
  // error's English type name from every notice.
  var ERROR_NAME = /\b(?:[A-Z][A-Z_]*_ERROR|[A-Za-z]*Error): /g;

  function cleanNotices(records) {
    records.forEach(function (record) {
      Array.from(record.addedNodes).concat(record.type === 'characterData' ? [record.target] : []).forEach(function (node) {
        var walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
        var text = node.nodeType === Node.TEXT_NODE ? node : walker.nextNode();
        for (; text; text = walker.nextNode()) {
          if (ERROR_NAME.test(text.data) && text.parentElement && text.parentElement.closest('.Toastify')) {
            text.data = text.data.replace(ERROR_NAME, '');
          }
          ERROR_NAME.lastIndex = 0;
        }
      });
    });
  }

  function invalid(message) {
    return {error: {type: 'CUSTOM', message: message}};
  }

  // ---------------------------------------------------------------- dates (day first, Việt Nam time)

  // Read what an editor types: dd/mm/yyyy [HH:MM] (/ . or - between), or yyyy-mm-dd[ HH:MM]; ISO 8601 with a zone
  // (as other tools write it) is turned into Việt Nam time. Returns {iso: "yyyy-mm-dd[ HH:MM]"} or {error: "…"}.
  function readDate(text) {
    var value = nfc(text).trim().replace(/\s+/g, ' ');
    var m;
    var parts = null;
    if (!value) return {error: 'Hãy nhập ngày đăng, ví dụ 13/04/2022 08:30.'};
    if ((m = /^(\d{1,2})[\/.-](\d{1,2})[\/.-](\d{4})(?:,? (?:lúc )?(\d{1,2})(?::|h|g)(\d{2})?)?$/.exec(value))) {
      parts = {day: +m[1], month: +m[2], year: +m[3], hour: m[4], minute: m[5]};
    } else if ((m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)? ?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/.exec(value))) {
      parts = {day: +m[3], month: +m[2], year: +m[1], hour: m[4], minute: m[5], zone: m[7]};
    } else if (/^\d{1,2}[\/.-]\d{1,2}[\/.-]\d{2}(\s|$)/.test(value)) {
      return {error: 'Năm phải đủ bốn chữ số, ví dụ 13/04/2022.'};
    } else {
      return {error: 'Chưa đọc được ngày “' + value + '” — hãy viết ngày/tháng/năm, ví dụ 13/04/2022 08:30.'};
    }
    var hour = parts.hour === undefined ? null : +parts.hour;
    var minute = parts.minute === undefined ? 0 : +parts.minute;
    var check = new Date(Date.UTC(parts.year, parts.month - 1, parts.day));
    if (check.getUTCFullYear() !== parts.year || check.getUTCMonth() !== parts.month - 1 || check.getUTCDate() !== parts.day) {
      return {error: 'Không có ngày ' + parts.day + ' tháng ' + parts.month + ' năm ' + parts.year + ' — ngày viết trước, tháng viết sau.'};
    }
    if (parts.year < FIRST_YEAR || parts.year > LAST_YEAR) {
      return {error: 'Năm ' + parts.year + ' nằm ngoài khoảng ' + FIRST_YEAR + '–' + LAST_YEAR + ' — có gõ nhầm không?'};
    }
    if (hour !== null && (hour > 23 || minute > 59)) return {error: 'Giờ không hợp lệ (giờ 0–23, phút 0–59).'};
    if (parts.zone) {  // another zone: the same moment in Việt Nam
      var offset = 0;
      if (parts.zone !== 'Z') {
        var digits = parts.zone.slice(1).replace(':', '');
        offset = (+digits.slice(0, 2) * 60 + +(digits.slice(2) || 0)) * (parts.zone[0] === '-' ? -1 : 1);
      }
      var moment = new Date(Date.UTC(parts.year, parts.month - 1, parts.day, hour || 0, minute) + (VN_OFFSET - offset) * 60000);
      return {iso: isoOf(moment.getUTCFullYear(), moment.getUTCMonth() + 1, moment.getUTCDate(), moment.getUTCHours(), moment.getUTCMinutes())};
    }
    return {iso: isoOf(parts.year, parts.month, parts.day, hour, minute)};
  }

  function isoOf(year, month, day, hour, minute) {
    var date = year + '-' + pad(month) + '-' + pad(day);
    return hour === null || hour === undefined ? date : date + ' ' + pad(hour) + ':' + pad(minute);
  }

  // "2022-04-13 08:30" -> "13/04/2022 08:30"; anything else is shown as it is.
  function showDate(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}))?$/.exec(iso || '');
    if (!m) return iso || '';
    return m[3] + '/' + m[2] + '/' + m[1] + (m[4] ? ' ' + m[4] + ':' + m[5] : '');
  }

  // "Thứ Tư, 13/04/2022, 08:30", as the article page shows it (the time only when there is one other than 00:00).
  function longDate(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}))?$/.exec(iso || '');
    if (!m) return iso || '';
    var weekday = WEEKDAYS[new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])).getUTCDay()];
    var time = m[4] && (m[4] !== '00' || m[5] !== '00') ? ', ' + m[4] + ':' + m[5] : '';
    return weekday + ', ' + m[3] + '/' + m[2] + '/' + m[1] + time;
  }

  function nowInVietnam() {
    var now = new Date(Date.now() + VN_OFFSET * 60000);
    return isoOf(now.getUTCFullYear(), now.getUTCMonth() + 1, now.getUTCDate(), now.getUTCHours(), now.getUTCMinutes());
  }

  // ---------------------------------------------------------------- terms (nhiệm kỳ)

  // "2020-2025", "2020 – 2025", "nhiệm kỳ 2020–2025" -> {code: "2020-2025"}; else {error}.
  function readTerm(text) {
    var value = nfc(text).trim().replace(/\s+/g, ' ');
    var m = /^(?:(?:nhiem ?ky|nk|giai ?doan|khoa) ?:? ?)?(\d{4}) ?(?:-|–|—|‒|−|~|\/|den|toi) ?(\d{4})$/.exec(fold(value));
    if (!m) return {error: 'Nhiệm kỳ “' + value + '” chưa đúng dạng năm–năm, ví dụ 2025–2030.'};
    var start = +m[1];
    var end = +m[2];
    if (start < FIRST_YEAR || end > LAST_YEAR) return {error: 'Nhiệm kỳ “' + value + '” có năm ngoài khoảng ' + FIRST_YEAR + '–' + LAST_YEAR + '.'};
    if (end <= start) return {error: 'Nhiệm kỳ “' + value + '”: năm kết thúc phải sau năm bắt đầu.'};
    return {code: start + '-' + end};
  }

  function termLabel(code) {
    var read = readTerm(code);
    return read.code ? read.code.replace('-', '–') : code;
  }

  // ---------------------------------------------------------------- units

  function findUnit(value) {
    var units = bulletin.units || [];
    for (var i = 0; i < units.length; i++) {
      var unit = units[i];
      var names = [unit.code, unit.name, unit.short_name].concat(unit.aliases || []);
      for (var j = 0; j < names.length; j++) {
        if (names[j] && sameName(names[j], value)) return unit;
      }
    }
    return null;
  }

  // ---------------------------------------------------------------- the file format

  // Front matter as the project writes it: one key a line in the form's order, text in double quotes, lists one
  // item a line. Empty values are left out (the schema rejects "author: " and "terms: []"). The date keeps the way
  // it was written in the file until the editor changes it (the form holds it as yyyy-mm-dd HH:MM).
  var FENCE = /^(---|\.\.\.)\s*$/;
  var WRITTEN_DATE = '_date_as_written';

  function fromFile(text) {
    var lines = nfc(text).replace(/^\ufeff/, '').replace(/\r\n?/g, '\n').split('\n');
    if (lines[0].trim() !== '---') return {body: lines.join('\n')};
    for (var i = 1; i < lines.length; i++) {
      if (FENCE.test(lines[i])) {
        var data = window.jsyaml.load(lines.slice(1, i).join('\n'), {schema: window.jsyaml.FAILSAFE_SCHEMA}) || {};
        if (typeof data !== 'object' || Array.isArray(data)) data = {};
        if (typeof data.date === 'string') {
          var read = readDate(data.date);
          if (read.iso) {
            data[WRITTEN_DATE] = data.date;
            data.date = read.iso;
          }
        }
        data.body = lines.slice(i + 1).join('\n').replace(/^\n+/, '').replace(/\s+$/, '');
        return data;
      }
    }
    return {body: lines.join('\n')};
  }

  function quoted(value) {
    return JSON.stringify(nfc(value));
  }

  function toFile(data, order) {
    var out = ['---'];
    var keys = (order || []).filter(function (key) { return key in data; });
    Object.keys(data).forEach(function (key) {
      if (keys.indexOf(key) < 0) keys.push(key);
    });
    keys.forEach(function (key) {
      var value = data[key];
      if (key === 'body' || key === WRITTEN_DATE || value === null || value === undefined) return;
      if (key === 'date' && data[WRITTEN_DATE] && readDate(data[WRITTEN_DATE]).iso === value) value = data[WRITTEN_DATE];
      if (Array.isArray(value)) {
        var items = value.filter(function (item) { return item !== null && item !== undefined && String(item).trim() !== ''; });
        if (!items.length) return;
        out.push(key + ':');
        items.forEach(function (item) { out.push('  - ' + quoted(item)); });
      } else if (typeof value === 'object') {
        out.push(window.jsyaml.dump(JSON.parse(JSON.stringify(Object.fromEntries([[key, value]])))).replace(/\n$/, ''));
      } else if (String(value).trim() !== '') {
        out.push(key + ': ' + quoted(String(value).trim()));
      }
    });
    out.push('---', '', nfc(data.body || '').replace(/\s+$/, ''), '');
    return out.join('\n');
  }

  // ---------------------------------------------------------------- widgets

  // The date: typed and shown day first; kept as yyyy-mm-dd[ HH:MM] (the folder of a new article is its first four
  // characters, see cms.py YEAR). A new article starts at the current time in Việt Nam.
  var DateControl = createClass({
    getInitialState: function () {
      return {text: showDate(this.props.value), error: this.props.value ? readDate(this.props.value).error : null};
    },
    componentDidMount: function () {
      if (!this.props.value) {
        var now = nowInVietnam();
        this.setState({text: showDate(now), error: null});
        this.props.onChange(now);
      }
    },
    componentDidUpdate: function (previous) {
      if (this.props.value !== previous.value && this.props.value !== this.sent) {
        this.setState({text: showDate(this.props.value), error: this.props.value ? readDate(this.props.value).error : null});
      }
    },
    handleChange: function (event) {
      var text = event.target.value;
      var read = readDate(text);
      this.sent = read.iso || text;
      this.setState({text: text, error: read.error || null});
      this.props.onChange(this.sent);
    },
    setNow: function () {
      var now = nowInVietnam();
      this.sent = now;
      this.setState({text: showDate(now), error: null});
      this.props.onChange(now);
    },
    isValid: function () {
      return this.state.error ? invalid(this.state.error) : true;
    },
    render: function () {
      var read = readDate(this.state.text);
      return h('div', {className: this.props.classNameWrapper + ' bt-date'},
        h('input', {
          id: this.props.forID, type: 'text', value: this.state.text, onChange: this.handleChange, autoComplete: 'off',
          placeholder: 'ngày/tháng/năm giờ:phút', onFocus: this.props.setActiveStyle, onBlur: this.props.setInactiveStyle,
          'aria-describedby': this.props.forID + '-read',
        }),
        h('button', {type: 'button', className: 'bt-button', onClick: this.setNow}, 'Bây giờ'),
        h('p', {id: this.props.forID + '-read', className: 'bt-note', 'aria-live': 'polite'},
          read.iso ? 'Đăng lúc: ' + longDate(read.iso) : (this.state.error || ''))
      );
    },
  });

  // A list of short texts shown as chips, with suggestions: terms (checked and written 2020-2025) and tags.
  function chipList(options) {
    return createClass({
      getInitialState: function () {
        return {text: '', error: null};
      },
      items: function () {
        return toArray(this.props.value);
      },
      add: function () {
        var text = nfc(this.state.text).trim();
        if (!text) return;
        var read = options.read ? options.read(text) : {code: text};
        if (read.error) {
          this.setState({error: read.error});
          return;
        }
        var items = this.items();
        if (items.indexOf(read.code) < 0) items.push(read.code);
        this.setState({text: '', error: null});
        this.props.onChange(items);
      },
      remove: function (index) {
        var items = this.items();
        items.splice(index, 1);
        this.props.onChange(items);
      },
      handleKey: function (event) {
        if (event.key === 'Enter' && !event.nativeEvent.isComposing) {
          event.preventDefault();
          this.add();
        }
      },
      isValid: function () {
        return this.state.error ? invalid(this.state.error) : true;
      },
      render: function () {
        var self = this;
        var id = this.props.forID;
        var suggestions = options.suggestions();
        return h('div', {className: this.props.classNameWrapper + ' bt-chips'},
          h('ul', {className: 'bt-chip-list', 'aria-label': options.listLabel},
            this.items().map(function (item, index) {
              return h('li', {key: item + index, className: 'bt-chip'},
                h('span', null, options.show ? options.show(item) : item),
                h('button', {type: 'button', className: 'bt-chip-remove', onClick: function () { self.remove(index); },
                  'aria-label': 'Bỏ ' + (options.show ? options.show(item) : item)}, '×'));
            })),
          h('div', {className: 'bt-add'},
            h('input', {
              id: id, type: 'text', value: this.state.text, list: id + '-goi-y', autoComplete: 'off',
              placeholder: options.placeholder, onKeyDown: this.handleKey,
              onChange: function (event) { self.setState({text: event.target.value, error: null}); },
              onFocus: this.props.setActiveStyle, onBlur: this.props.setInactiveStyle,
            }),
            h('datalist', {id: id + '-goi-y'}, suggestions.map(function (item) {
              return h('option', {key: item.value, value: item.value}, item.label);
            })),
            h('button', {type: 'button', className: 'bt-button', onClick: this.add}, 'Thêm')),
          this.state.error ? h('p', {className: 'bt-note bt-error', role: 'alert'}, this.state.error) : null
        );
      },
    });
  }

  var TermsControl = chipList({
    read: readTerm,
    show: termLabel,
    listLabel: 'Nhiệm kỳ đã chọn',
    placeholder: 'ví dụ 2025–2030',
    suggestions: function () {
      return (bulletin.terms || []).map(function (term) { return {value: term.label, label: term.label}; });
    },
  });

  var TagsControl = chipList({
    listLabel: 'Từ khóa đã chọn',
    placeholder: 'gõ từ khóa rồi bấm Thêm',
    suggestions: function () {
      return (bulletin.tags || []).map(function (tag) { return {value: tag, label: tag}; });
    },
  });

  // Units: the registry as an indented list to tick, filtered by what is typed (with or without marks); the chosen
  // ones in order, the first being the article's main unit. A value written by name or alias in an older file is kept
  // as it is until the editor changes the list.
  var UnitsControl = createClass({
    getInitialState: function () {
      return {filter: ''};
    },
    items: function () {
      return toArray(this.props.value);
    },
    toggle: function (unit) {
      var items = this.items();
      var at = -1;
      items.forEach(function (item, index) {
        var found = findUnit(item);
        if (found && found.code === unit.code) at = index;
      });
      if (at >= 0) items.splice(at, 1);
      else items.push(unit.code);
      this.props.onChange(items);
    },
    move: function (index) {
      var items = this.items();
      var item = items.splice(index, 1)[0];
      items.unshift(item);
      this.props.onChange(items);
    },
    remove: function (index) {
      var items = this.items();
      items.splice(index, 1);
      this.props.onChange(items);
    },
    isValid: function () {
      return this.items().length ? true : invalid('Hãy chọn ít nhất một đơn vị.');
    },
    render: function () {
      var self = this;
      var id = this.props.forID;
      var items = this.items();
      var chosen = items.map(function (item) { var unit = findUnit(item); return unit ? unit.code : null; });
      var wanted = fold(this.state.filter).trim();
      var units = (bulletin.units || []).filter(function (unit) {
        if (!wanted) return true;
        return [unit.name, unit.short_name, unit.code].concat(unit.aliases || []).some(function (name) {
          return name && fold(name).indexOf(wanted) >= 0;
        });
      });
      return h('div', {className: this.props.classNameWrapper + ' bt-units'},
        h('ol', {className: 'bt-chip-list', 'aria-label': 'Đơn vị đã chọn'},
          items.map(function (item, index) {
            var unit = findUnit(item);
            var name = unit ? unit.name : item;
            return h('li', {key: item + index, className: 'bt-chip' + (unit ? '' : ' bt-unknown')},
              h('span', null, name + (index === 0 ? ' (đơn vị chính)' : '') + (unit ? '' : ' — chưa có trong danh mục')),
              index > 0 ? h('button', {type: 'button', className: 'bt-chip-first', onClick: function () { self.move(index); },
                'aria-label': 'Đặt ' + name + ' làm đơn vị chính'}, '↑') : null,
              h('button', {type: 'button', className: 'bt-chip-remove', onClick: function () { self.remove(index); },
                'aria-label': 'Bỏ ' + name}, '×'));
          })),
        h('input', {
          id: id, type: 'search', value: this.state.filter, autoComplete: 'off', placeholder: 'Tìm đơn vị (có dấu hay không dấu)',
          onChange: function (event) { self.setState({filter: event.target.value}); },
          onFocus: this.props.setActiveStyle, onBlur: this.props.setInactiveStyle,
        }),
        h('ul', {className: 'bt-unit-tree', 'aria-label': 'Danh mục đơn vị'},
          units.map(function (unit) {
            var box = id + '-' + unit.code;
            return h('li', {key: unit.code, style: {paddingLeft: (unit.depth * 1.25) + 'em'}},
              h('input', {type: 'checkbox', id: box, checked: chosen.indexOf(unit.code) >= 0, onChange: function () { self.toggle(unit); }}),
              h('label', {htmlFor: box}, unit.name, h('span', {className: 'bt-code'}, ' ' + unit.code)));
          }))
      );
    },
  });

  // The body: Markdown in a plain text box (typing with any Vietnamese input method works as in any text box: the
  // browser composes, nothing rewrites the text under the caret) and a toolbar that inserts the Markdown for
  // headings, lists, quotes, links and photos with captions.
  var TOOLS = [
    {name: 'Tiêu đề mục', line: '## '},
    {name: 'Tiêu đề nhỏ', line: '### '},
    {name: 'Chữ đậm', around: '**'},
    {name: 'Chữ nghiêng', around: '*'},
    {name: 'Danh sách', line: '- '},
    {name: 'Danh sách số', line: '1. '},
    {name: 'Trích dẫn', line: '> '},
  ];

  var MarkdownControl = createClass({
    getInitialState: function () {
      return {panel: null, link: '', photo: '', alt: '', caption: ''};
    },
    shouldComponentUpdate: function (next, nextState) {
      return next.value !== this.props.value || next.mediaPaths !== this.props.mediaPaths || nextState !== this.state ||
        next.classNameWrapper !== this.props.classNameWrapper;
    },
    componentDidMount: function () {
      this.box.value = this.props.value || '';
    },
    componentDidUpdate: function () {
      var value = this.props.value || '';
      if (this.box && this.box.value !== value && value !== this.sent) this.box.value = value;
      var chosen = this.props.mediaPaths && this.props.mediaPaths.get(this.photoId());
      if (chosen) {
        this.props.onRemoveInsertedMedia(this.photoId());
        this.setState({panel: 'photo', photo: String(chosen), alt: '', caption: ''});
      }
    },
    photoId: function () {
      return this.props.forID + '-anh';
    },
    send: function () {
      this.sent = this.box.value;
      this.props.onChange(this.box.value);
    },
    edit: function (before, after, whole) {
      var box = this.box;
      var start = box.selectionStart;
      var end = box.selectionEnd;
      var text = box.value;
      var chosen = text.slice(start, end);
      var insert = before + (whole !== undefined ? whole : chosen) + after;
      box.focus();
      box.setRangeText(insert, start, end, whole !== undefined ? 'end' : 'select');
      if (whole === undefined && !chosen) box.setSelectionRange(start + before.length, start + before.length);
      this.send();
    },
    prefixLines: function (prefix) {
      var box = this.box;
      var text = box.value;
      var start = text.lastIndexOf('\n', box.selectionStart - 1) + 1;
      var end = text.indexOf('\n', box.selectionEnd);
      if (end < 0) end = text.length;
      var lines = text.slice(start, end).split('\n').map(function (line) { return prefix + line.replace(/^(#{1,6} |[-*] |\d+\. |> )/, ''); });
      box.focus();
      box.setRangeText(lines.join('\n'), start, end, 'end');
      this.send();
    },
    tool: function (tool) {
      if (tool.line) this.prefixLines(tool.line);
      else this.edit(tool.around, tool.around);
    },
    openPhoto: function () {
      var field = this.props.field;
      this.props.onOpenMediaLibrary({
        controlID: this.photoId(), forImage: true, privateUpload: false, value: '', allowMultiple: false,
        config: field.get('media_library'), field: field,
      });
    },
    insertLink: function () {
      var address = this.state.link.trim();
      if (!address) return;
      this.setState({panel: null, link: ''});
      this.edit('[', '](' + address + ')');
    },
    insertPhoto: function () {
      var alt = this.state.alt.trim().replace(/[\[\]]/g, '');
      var caption = this.state.caption.trim().replace(/"/g, '”');
      var markdown = '![' + (alt || caption) + '](' + this.state.photo + (caption ? ' "' + caption + '"' : '') + ')';
      this.setState({panel: null, photo: ''});
      this.edit('\n\n', '\n\n', markdown);
    },
    field: function (name, label, hint) {
      var self = this;
      var id = this.props.forID + '-' + name;
      return h('p', {className: 'bt-panel-row'},
        h('label', {htmlFor: id}, label),
        h('input', {id: id, type: 'text', value: this.state[name], 'aria-describedby': hint ? id + '-goi-y' : null,
          onChange: function (event) { var change = {}; change[name] = event.target.value; self.setState(change); }}),
        hint ? h('span', {id: id + '-goi-y', className: 'bt-note'}, hint) : null);
    },
    panel: function () {
      var self = this;
      if (this.state.panel === 'link') {
        return h('div', {className: 'bt-panel', role: 'group', 'aria-label': 'Chèn liên kết'},
          this.field('link', 'Địa chỉ liên kết', 'Địa chỉ web (https://…) hoặc bài khác của bản tin (../2024/ten-bai.md). Chữ đang chọn sẽ thành chữ của liên kết.'),
          h('button', {type: 'button', className: 'bt-button', onClick: this.insertLink}, 'Chèn liên kết'),
          h('button', {type: 'button', className: 'bt-button bt-quiet', onClick: function () { self.setState({panel: null}); }}, 'Thôi'));
      }
      if (this.state.panel === 'photo') {
        return h('div', {className: 'bt-panel', role: 'group', 'aria-label': 'Chèn ảnh'},
          h('p', {className: 'bt-note'}, 'Ảnh: ' + this.state.photo),
          this.field('caption', 'Chú thích dưới ảnh', 'Một câu hoàn chỉnh; ảnh minh họa thì ghi (ảnh minh họa).'),
          this.field('alt', 'Mô tả ảnh cho người khiếm thị', 'Để trống thì dùng chú thích.'),
          h('button', {type: 'button', className: 'bt-button', onClick: this.insertPhoto}, 'Chèn ảnh vào bài'),
          h('button', {type: 'button', className: 'bt-button bt-quiet', onClick: function () { self.setState({panel: null, photo: ''}); }}, 'Thôi'));
      }
      return null;
    },
    render: function () {
      var self = this;
      var buttons = TOOLS.map(function (tool) {
        return h('button', {key: tool.name, type: 'button', className: 'bt-tool', onClick: function () { self.tool(tool); }}, tool.name);
      });
      buttons.push(h('button', {key: 'link', type: 'button', className: 'bt-tool', onClick: function () { self.setState({panel: 'link'}); }}, 'Liên kết'));
      buttons.push(h('button', {key: 'photo', type: 'button', className: 'bt-tool', onClick: this.openPhoto}, 'Ảnh có chú thích'));
      return h('div', {className: this.props.classNameWrapper + ' bt-markdown'},
        h('div', {className: 'bt-toolbar', role: 'toolbar', 'aria-label': 'Định dạng nội dung', 'aria-controls': this.props.forID}, buttons),
        this.panel(),
        h('textarea', {
          id: this.props.forID, ref: function (box) { self.box = box; }, onInput: this.send, rows: 18, spellCheck: true, lang: 'vi',
          onFocus: this.props.setActiveStyle, onBlur: this.props.setInactiveStyle,
        })
      );
    },
  });

  // ---------------------------------------------------------------- the article preview

  // The body as the site shows it: Decap's Markdown preview, with each photo read through Decap (a new one is still
  // in the browser, an older one comes from the repository) and a photo alone in its paragraph shown as a figure with
  // its title as the caption (markup.py FigureProcessor).
  function bodyPreview(markdownPreview) {
    return createClass({
      componentDidMount: function () { this.resolve(); },
      componentDidUpdate: function () { this.resolve(); },
      resolve: function () {
        var self = this;
        if (!this.box) return;
        Array.from(this.box.querySelectorAll('img')).forEach(function (img) {
          var written = img.getAttribute('data-written') || img.getAttribute('src') || '';
          if (/^(blob:|data:|https?:)/.test(written)) return;
          img.setAttribute('data-written', written);
          var asset = self.props.getAsset(written, self.props.field);
          var url = asset ? asset.toString() : '';
          if (url && img.getAttribute('src') !== url) img.setAttribute('src', url);
          var paragraph = img.parentElement;
          if (paragraph && paragraph.tagName === 'P' && paragraph.childNodes.length === 1) {
            var figure = document.createElement('figure');
            paragraph.replaceWith(figure);
            figure.appendChild(img);
            if (img.title) {
              var caption = document.createElement('figcaption');
              caption.textContent = img.title;
              figure.appendChild(caption);
              img.removeAttribute('title');
            }
          }
        });
      },
      render: function () {
        var self = this;
        return h('div', {ref: function (box) { self.box = box; }}, h(markdownPreview, this.props));
      },
    });
  }

  var CheckBox = createClass({
    getInitialState: function () {
      return {problems: []};
    },
    componentDidMount: function () {
      this.schedule();
    },
    componentDidUpdate: function (previous) {
      if (previous.entry !== this.props.entry) this.schedule();
    },
    componentWillUnmount: function () {
      clearTimeout(this.timer);
    },
    schedule: function () {
      clearTimeout(this.timer);
      this.timer = setTimeout(this.check, 400);
    },
    check: function () {
      var self = this;
      var entry = this.props.entry;
      var data = entry.get('data').toJS();
      var pending = [];
      [data.image].concat((data.body || '').match(/\]\(([^)\s]+)/g) || []).forEach(function (path) {
        path = path && path.replace(/^\]\(/, '');
        if (!path) return;
        var asset = self.props.getAsset(path);
        if (asset && asset.fileObj) pending.push(path);
      });
      delete data[WRITTEN_DATE];
      var number = (this.asked = (this.asked || 0) + 1);
      fetch(bulletin.check, {
        method: 'POST', headers: {'Content-Type': 'application/json'},
        body: JSON.stringify({collection: this.props.collection, path: entry.get('path') || '', data: data, pending: pending}),
      }).then(function (response) { return response.json(); }).then(function (answer) {
        if (number === self.asked) self.setState({problems: answer.problems || []});
      }).catch(function () {});
    },
    render: function () {
      var problems = this.state.problems;
      if (!problems.length) return null;
      return h('section', {className: 'bt-check', 'aria-label': 'Kiểm tra bài'},
        h('h2', null, 'Bài còn ' + problems.length + ' điều cần sửa trước khi đăng'),
        h('ul', null, problems.map(function (problem, index) {
          return h('li', {key: index, className: problem.level === 'warning' ? 'bt-warning' : 'bt-error'},
            h('strong', null, (problem.label || 'Bài') + ': '), problem.message);
        })));
    },
  });

  var ArticlePreview = createClass({
    render: function () {
      var entry = this.props.entry;
      var data = function (key) { return entry.getIn(['data', key]); };
      var units = toArray(data('units')).map(function (item) { var unit = findUnit(item); return unit ? unit.name : item; });
      var terms = toArray(data('terms')).map(termLabel);
      var tags = toArray(data('tags'));
      var image = data('image');
      var date = data('date');
      var byline = [data('author'), data('author_title')].filter(Boolean).join(', ');
      var asset = image ? this.props.getAsset(image) : null;
      return h('div', {className: 'wrap article-layout'},
        bulletin.check ? h(CheckBox, {entry: entry, getAsset: this.props.getAsset, collection: 'articles'}) : null,
        h('article', {className: 'article'},
          h('header', {className: 'article-header'},
            data('status') === 'draft' ? h('p', {className: 'badge'}, 'Bản nháp: bài này sẽ không lên trang') : null,
            h('h1', null, data('title') || 'Chưa có tiêu đề'),
            h('dl', {className: 'article-meta'},
              h('dt', null, 'Ngày đăng'), h('dd', null, h('time', null, longDate(date))),
              h('dt', null, 'Đơn vị'), h('dd', null, units.join(', ')),
              terms.length ? h('dt', null, 'Nhiệm kỳ') : null, terms.length ? h('dd', null, terms.join(', ')) : null,
              byline ? h('dt', null, 'Tác giả') : null, byline ? h('dd', null, byline) : null),
            data('summary') ? h('p', {className: 'lead'}, data('summary')) : null),
          asset ? h('figure', {className: 'article-image'},
            h('img', {src: asset.toString(), alt: ''}),
            data('image_caption') ? h('figcaption', null, data('image_caption')) : null) : null,
          h('div', {className: 'article-body'}, this.props.widgetFor('body')),
          tags.length ? h('p', {className: 'keywords'}, 'Từ khóa: ' + tags.join(', ')) : null));
    },
  });

  var PagePreview = createClass({
    render: function () {
      var entry = this.props.entry;
      return h('div', {className: 'wrap'},
        bulletin.check ? h(CheckBox, {entry: entry, getAsset: this.props.getAsset, collection: 'pages'}) : null,
        h('article', {className: 'article'},
          h('header', {className: 'article-header'}, h('h1', null, entry.getIn(['data', 'title']) || 'Chưa có tiêu đề')),
          h('div', {className: 'article-body'}, this.props.widgetFor('body'))));
    },
  });

  // ---------------------------------------------------------------- start

  function merge(base, extra) {
    var out = {};
    Object.keys(base || {}).forEach(function (key) { out[key] = base[key]; });
    Object.keys(extra).forEach(function (key) {
      var value = extra[key];
      out[key] = value && typeof value === 'object' && !Array.isArray(value) ? merge(out[key], value) : value;
    });
    return out;
  }

  function start(config) {
    var CMS = window.CMS;
    bulletin = config.bulletin;
    window.BULLETIN_EDITOR = {safeFileName: safeFileName, lookupKey: lookupKey, readDate: readDate, showDate: showDate, longDate: longDate, readTerm: readTerm, fromFile: fromFile, toFile: toFile};
    document.addEventListener('change', renamePickedFiles, true);
    window.confirm = askInVietnamese(window.confirm);
    new MutationObserver(cleanNotices).observe(document.body, {childList: true, subtree: true, characterData: true});
    CMS.registerLocale('vi', merge(CMS.getLocale('vi'), window.BULLETIN_LOCALE_VI));
    CMS.registerCustomFormat('bulletin', 'md', {fromFile: fromFile, toFile: toFile});
    var markdownPreview = CMS.getWidget('markdown').preview;
    CMS.registerWidget('bulletin-date', DateControl, createClass({render: function () { return h('span', null, longDate(this.props.value)); }}));
    CMS.registerWidget('bulletin-units', UnitsControl);
    CMS.registerWidget('bulletin-terms', TermsControl);
    CMS.registerWidget('bulletin-tags', TagsControl);
    CMS.registerWidget('bulletin-markdown', MarkdownControl, bodyPreview(markdownPreview));
    CMS.registerPreviewStyle(bulletin.site.css);
    CMS.registerPreviewStyle('admin.css');
    CMS.registerPreviewTemplate('articles', ArticlePreview);
    CMS.registerPreviewTemplate('pages', PagePreview);
    CMS.init({config: config.decap});
  }

  fetch('config.json', {cache: 'no-store'}).then(function (response) { return response.json(); }).then(start);
})();
