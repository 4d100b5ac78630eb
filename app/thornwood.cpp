// thornwood: the desktop GUI. A thin main over the thornwood_gui library.
//   thornwood [PROJECT.thornwood.json]
#include <QApplication>

#include "app/gui/main_window.h"

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setApplicationName("Thornwood");
  QApplication::setOrganizationName("Thornwood");
  thornwood::gui::MainWindow window;
  window.show();
  // Work an earlier session lost comes first; then the file asked for, unless recovered.
  const bool recovered = window.offerRecovery();
  const QStringList args = QApplication::arguments();
  if (!recovered && args.size() > 1) window.openFile(args.at(1));
  return QApplication::exec();
}
