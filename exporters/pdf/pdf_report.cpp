#include "exporters/pdf/pdf_report.h"

#include <QAbstractTextDocumentLayout>
#include <QBuffer>
#include <QByteArray>
#include <QFont>
#include <QGuiApplication>
#include <QHashSeed>
#include <QPainter>
#include <QPdfWriter>
#include <QRegularExpression>
#include <cctype>
#include <cmath>
#include <QSvgRenderer>
#include <QTextBlock>
#include <QTextDocument>
#include <QTextObjectInterface>
#include <map>
#include <memory>

namespace thornwood::exporters {

namespace {

/// A Qt application for the fonts and the paint engines; the command line has none.
void ensureGuiApplication() {
  // The PDF engine keeps its fonts in a QHash and writes them in its order: with Qt's random
  // per-process seed, the same report would give other bytes each run.
  QHashSeed::setDeterministicGlobalSeed();
  if (QCoreApplication::instance()) return;
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  static int argc = 1;
  static char name[] = "thornwood";
  static char* argv[] = {name, nullptr};
  // Without a desktop session Qt says it made up a runtime folder; a command line has no use
  // for that line on its stderr.
  static QtMessageHandler previous = nullptr;
  previous = qInstallMessageHandler([](QtMsgType type, const QMessageLogContext& context, const QString& message) {
    if (message.startsWith(QLatin1String("QStandardPaths: XDG_RUNTIME_DIR not set"))) return;
    if (previous) previous(type, context, message);
  });
  static QGuiApplication app(argc, argv);
  qInstallMessageHandler(previous);
}

/// A label of a Graphviz drawing, drawn by us as real text (see Drawing).
struct SvgText {
  QPointF at;  ///< the baseline's anchor point, in the drawing's user units
  Qt::Alignment anchor = Qt::AlignLeft;
  QString family;
  bool bold = false;
  double size = 10;  ///< user units
  QColor colour = Qt::black;
  QString text;
};

/// XML character references and the five named entities, as Graphviz writes them.
QString unescaped(const QString& text) {
  QString out;
  for (qsizetype i = 0; i < text.size(); ++i) {
    if (text[i] != QLatin1Char('&')) {
      out += text[i];
      continue;
    }
    const qsizetype end = text.indexOf(QLatin1Char(';'), i);
    if (end < 0) {
      out += text.mid(i);
      break;
    }
    const QString entity = text.mid(i + 1, end - i - 1);
    bool ok = false;
    if (entity.startsWith(QLatin1String("#x"))) {
      const uint code = entity.mid(2).toUInt(&ok, 16);
      if (ok) out += QString::fromUcs4(reinterpret_cast<const char32_t*>(&code), 1);
    } else if (entity.startsWith(QLatin1Char('#'))) {
      const uint code = entity.mid(1).toUInt(&ok, 10);
      if (ok) out += QString::fromUcs4(reinterpret_cast<const char32_t*>(&code), 1);
    } else {
      static const std::map<QString, QChar> named{{QStringLiteral("amp"), QLatin1Char('&')}, {QStringLiteral("lt"), QLatin1Char('<')},
                                                  {QStringLiteral("gt"), QLatin1Char('>')}, {QStringLiteral("quot"), QLatin1Char('"')},
                                                  {QStringLiteral("apos"), QLatin1Char('\'')}};
      const auto it = named.find(entity);
      ok = it != named.end();
      if (ok) out += it->second;
    }
    if (!ok) out += text.mid(i, end - i + 1);
    i = end;
  }
  return out;
}

/// One drawing, split: the shapes for QSvgRenderer, and the labels, which we draw ourselves.
/// QtSvg would draw every label as outlines (no font in the PDF, no text to search, and
/// about 20 kB a label); drawn by QPainter they are real text in an embedded font subset.
struct Drawing {
  std::unique_ptr<QSvgRenderer> shapes;
  std::vector<SvgText> texts;
  QPointF origin;  ///< Graphviz's translate of the graph group
};

Drawing split(const std::string& svg) {
  Drawing d;
  QString text = QString::fromStdString(svg);
  static const QRegularExpression group(QStringLiteral("class=\"graph\" transform=\"scale\\(1 1\\) rotate\\(0\\) translate\\(([-0-9.]+) ([-0-9.]+)\\)\""));
  if (const auto m = group.match(text); m.hasMatch()) d.origin = QPointF(m.captured(1).toDouble(), m.captured(2).toDouble());
  static const QRegularExpression element(QStringLiteral("<text([^>]*)>(.*?)</text>"), QRegularExpression::DotMatchesEverythingOption);
  static const QRegularExpression attribute(QStringLiteral("([a-z-]+)=\"([^\"]*)\""));
  for (auto it = element.globalMatch(text); it.hasNext();) {
    const auto m = it.next();
    SvgText t;
    t.text = unescaped(m.captured(2));
    double x = 0, y = 0;
    for (auto a = attribute.globalMatch(m.captured(1)); a.hasNext();) {
      const auto am = a.next();
      const QString name = am.captured(1), value = am.captured(2);
      if (name == QLatin1String("x")) x = value.toDouble();
      else if (name == QLatin1String("y")) y = value.toDouble();
      else if (name == QLatin1String("text-anchor")) t.anchor = value == QLatin1String("middle") ? Qt::AlignHCenter : value == QLatin1String("end") ? Qt::AlignRight : Qt::AlignLeft;
      else if (name == QLatin1String("font-family")) t.family = value;
      else if (name == QLatin1String("font-weight")) t.bold = value == QLatin1String("bold");
      else if (name == QLatin1String("font-size")) t.size = value.toDouble();
      else if (name == QLatin1String("fill")) t.colour = QColor(value);
    }
    t.at = QPointF(x, y);
    d.texts.push_back(std::move(t));
  }
  text.remove(element);
  d.shapes = std::make_unique<QSvgRenderer>(text.toUtf8());
  if (!d.shapes->isValid()) d.shapes.reset();
  return d;
}

/// Draws the report's SVG drawings where the Qt flavour of the HTML has <img src="diagram:N">:
/// vector graphics in the PDF, scaled to the page's width and to most of its height, so a
/// drawing is never split across pages.
class DrawingHandler : public QObject, public QTextObjectInterface {
  Q_OBJECT
  Q_INTERFACES(QTextObjectInterface)

 public:
  DrawingHandler(const std::vector<const std::string*>& svgs, QSizeF maxSize, double pointsToDevice, double deviceDpi)
      : m_max(maxSize), m_scale(pointsToDevice), m_dpi(deviceDpi) {
    for (const std::string* svg : svgs) m_drawings.push_back(split(*svg));
  }

  QSizeF intrinsicSize(QTextDocument*, int, const QTextFormat& format) override {
    const Drawing* d = drawingOf(format);
    if (!d) return QSizeF(1, 1);
    const QSizeF points = d->shapes->viewBoxF().size();
    QSizeF size = points * m_scale;
    const double shrink = std::min({1.0, m_max.width() / size.width(), m_max.height() / size.height()});
    return size * shrink;
  }

  void drawObject(QPainter* painter, const QRectF& rect, QTextDocument*, int, const QTextFormat& format) override {
    const Drawing* d = drawingOf(format);
    if (!d) return;
    d->shapes->render(painter, rect);
    const QRectF box = d->shapes->viewBoxF();
    const double k = rect.width() / box.width();
    painter->save();
    painter->translate(rect.topLeft());
    painter->scale(k, k);
    painter->translate(-box.topLeft() + d->origin);
    for (const SvgText& t : d->texts) {
      QFont font(t.family.isEmpty() ? QStringLiteral("DejaVu Sans") : t.family);
      // A size in the drawing's units (points): in points on this device, before the scale.
      font.setPointSizeF(t.size * 72.0 / m_dpi);
      font.setBold(t.bold);
      painter->setFont(font);
      painter->setPen(t.colour);
      const double width = QFontMetricsF(font, painter->device()).horizontalAdvance(t.text);
      const double x = t.anchor == Qt::AlignHCenter ? t.at.x() - width / 2 : t.anchor == Qt::AlignRight ? t.at.x() - width : t.at.x();
      painter->drawText(QPointF(x, t.at.y()), t.text);
    }
    painter->restore();
  }

 private:
  const Drawing* drawingOf(const QTextFormat& format) const {
    const QString name = format.toImageFormat().name();
    if (!name.startsWith(QLatin1String("diagram:"))) return nullptr;
    bool ok = false;
    const int index = name.mid(8).toInt(&ok);
    if (!ok || index < 0 || static_cast<std::size_t>(index) >= m_drawings.size()) return nullptr;
    const Drawing& d = m_drawings[static_cast<std::size_t>(index)];
    return d.shapes ? &d : nullptr;
  }

  std::vector<Drawing> m_drawings;
  QSizeF m_max;
  double m_scale;
  double m_dpi;
};

/// The page (1-based) of every named anchor, as the document is laid out now.
std::map<QString, int> anchorPages(QTextDocument& doc, double pageHeight) {
  std::map<QString, int> pages;
  QAbstractTextDocumentLayout* layout = doc.documentLayout();
  for (QTextBlock b = doc.begin(); b.isValid(); b = b.next()) {
    for (auto it = b.begin(); !it.atEnd(); ++it) {
      const QTextCharFormat f = it.fragment().charFormat();
      if (!f.isAnchor()) continue;
      for (const QString& name : f.anchorNames()) {
        if (pages.count(name)) continue;
        pages[name] = static_cast<int>(layout->blockBoundingRect(b).top() / pageHeight) + 1;
      }
    }
  }
  return pages;
}

/// The HTML with the contents' page markers replaced by the pages (or a placeholder of the
/// same width when not known yet).
QString withPages(const std::string& html, const std::map<QString, int>& pages) {
  QString out = QString::fromStdString(html);
  static const QRegularExpression marker(QStringLiteral("\\x01([^\\x02]*)\\x02"));
  QString result;
  qsizetype last = 0;
  for (auto it = marker.globalMatch(out); it.hasNext();) {
    const auto m = it.next();
    result += out.mid(last, m.capturedStart() - last);
    const auto page = pages.find(m.captured(1));
    result += page == pages.end() ? QStringLiteral("00") : QString::number(page->second);
    last = m.capturedEnd();
  }
  result += out.mid(last);
  return result;
}

/// Qt writes the time of writing and a random document id into every PDF; a report with no
/// time asked for gets fixed ones, so that the same report gives the same bytes. Both are
/// replaced by text of the same length, so the cross-reference offsets stay right.
void fixVolatileFields(std::string& pdf) {
  // Dates: "(D:YYYYMMDDHHmmSS" then a zone such as "Z" or "+01'00'".
  for (std::size_t at = pdf.find("(D:"); at != std::string::npos; at = pdf.find("(D:", at + 3)) {
    const std::size_t end = pdf.find(')', at);
    if (end == std::string::npos || end - at > 40) continue;
    static const std::string fixed = "20000101000000";
    std::size_t digit = 0;
    for (std::size_t i = at + 3; i < end; ++i) {
      char& c = pdf[i];
      if (std::isdigit(static_cast<unsigned char>(c))) c = digit < fixed.size() ? fixed[digit++] : '0';
      else if (c == '-') c = '+';
    }
  }
  // The document id: "/ID [<hex> <hex>]".
  for (std::size_t at = pdf.find("/ID ["); at != std::string::npos; at = pdf.find("/ID [", at + 5)) {
    const std::size_t end = pdf.find(']', at);
    if (end == std::string::npos || end - at > 200) continue;
    for (std::size_t i = at + 5; i < end; ++i) {
      if (std::isxdigit(static_cast<unsigned char>(pdf[i]))) pdf[i] = '0';
    }
  }
}

}  // namespace

core::Result<std::string> toPdf(const Report& report) {
  ensureGuiApplication();
  QByteArray bytes;
  QBuffer buffer(&bytes);
  buffer.open(QIODevice::WriteOnly);
  {
    QPdfWriter writer(&buffer);
    constexpr int kDpi = 300;
    writer.setResolution(kDpi);
    writer.setPageSize(QPageSize(QPageSize::A4));
    writer.setPageMargins(QMarginsF(16, 16, 16, 14), QPageLayout::Millimeter);
    const QString title = QString::fromStdString(report.project.name.empty() ? std::string("Untitled project") : report.project.name);
    writer.setTitle(title + QStringLiteral(" \u2014 Thornwood report"));
    writer.setCreator(QStringLiteral("Thornwood " THORNWOOD_VERSION));

    const QRect paint = writer.pageLayout().paintRectPixels(kDpi);
    const double footer = kDpi * 0.35;  // room for the page number, in device pixels
    const QSizeF page(paint.width(), paint.height() - footer);
    const double pointsToDevice = kDpi / 72.0;

    QTextDocument doc;
    doc.documentLayout()->setPaintDevice(&writer);
    doc.setPageSize(page);
    doc.setDocumentMargin(0);
    QFont font(QStringLiteral("DejaVu Sans"));
    font.setPointSizeF(9);
    doc.setDefaultFont(font);
    auto drawings = exporters::drawings(report);
    DrawingHandler handler(drawings, QSizeF(page.width(), page.height() * 0.82), pointsToDevice, kDpi);
    doc.documentLayout()->registerHandler(QTextFormat::ImageObject, &handler);

    // Lay out, read where each section landed, and lay out again with those pages in the
    // contents until they no longer move (page numbers only change widths, so this settles).
    const std::string html = toHtml(report, HtmlFlavour::Qt);
    std::map<QString, int> pages;
    for (int pass = 0; pass < 4; ++pass) {
      doc.setHtml(withPages(html, pages));
      const auto found = anchorPages(doc, page.height());
      if (found == pages) break;
      pages = found;
    }
    const int pageCount = std::max(1, static_cast<int>(std::ceil(doc.documentLayout()->documentSize().height() / page.height())));

    QPainter painter;
    if (!painter.begin(&writer)) return core::fail(core::error(core::ErrorCode::Io, "", "cannot start the PDF"));
    QFont small = font;
    small.setPointSizeF(7.5);
    for (int i = 0; i < pageCount; ++i) {
      if (i > 0) writer.newPage();
      painter.save();
      painter.translate(0, -i * page.height());
      const QRectF visible(0, i * page.height(), page.width(), page.height());
      painter.setClipRect(visible);
      QAbstractTextDocumentLayout::PaintContext context;
      context.clip = visible;
      context.palette.setColor(QPalette::Text, Qt::black);
      doc.documentLayout()->draw(&painter, context);
      painter.restore();
      painter.setFont(small);
      painter.setPen(QColor(95, 107, 118));
      const QRectF foot(0, page.height() + footer * 0.3, page.width(), footer * 0.7);
      painter.drawText(foot, Qt::AlignLeft | Qt::AlignVCenter, title + QStringLiteral(" \u2014 Thornwood report"));
      painter.drawText(foot, Qt::AlignRight | Qt::AlignVCenter, QStringLiteral("page %1 of %2").arg(i + 1).arg(pageCount));
    }
    painter.end();
  }
  buffer.close();
  std::string pdf = bytes.toStdString();
  if (report.options.generatedAt.empty()) fixVolatileFields(pdf);
  return pdf;
}

}  // namespace thornwood::exporters

#include "pdf_report.moc"
